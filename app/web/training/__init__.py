"""/council/events/ and /me/events/: introduction and training events; /council/requirements."""
