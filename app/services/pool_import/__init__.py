"""Importing the council's existing register (CSV/XLSX)."""
