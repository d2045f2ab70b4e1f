"""Compensation: the fee engine, dated tables, agreements, claims, payouts, reports."""
