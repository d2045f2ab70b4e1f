"""Demo data: a seeded pool, organisations and a year of history."""
