"""The member\x27s invitation page, reached by the secret link in the invitation mail."""
