"""Insight for the council: pure metrics, datasets and chart geometry (no Flask, no database)."""
