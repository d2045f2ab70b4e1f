"""Time and calendars: availability maths, bookings, invitations and scheduled jobs (later issues)."""
