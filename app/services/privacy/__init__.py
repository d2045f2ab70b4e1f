"""Privacy: consent, access to one's data, erasure, retention and the audit log."""
