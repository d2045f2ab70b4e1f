"""The pool: members' profiles, availability, calendars, the council's administration."""
