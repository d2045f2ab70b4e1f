"""Feedback: surveys after assignments, their results, accessibility reports."""
