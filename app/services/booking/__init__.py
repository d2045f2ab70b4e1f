"""Booking: the council's decisions, invitations, interest, replacements, changes."""
