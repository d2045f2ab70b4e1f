"""Introduction sessions and continuing training: events, members' bookings, attendance."""
