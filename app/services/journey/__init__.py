"""The assignment journey after booking (issue 19): standing groups and their meetings, changes
through the council, the member's own list with absences and stand-ins, conflicts of interest,
debriefs, needs and material, and the mails people expect. docs/journey.md.
"""
