"""Mail: settings, the outbox (queued in the unit of work, delivered after commit)."""
