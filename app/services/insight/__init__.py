"""Insight (uppföljning): datasets, metrics and chart geometry for the council."""
