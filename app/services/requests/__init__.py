"""Requests: submit, list and read them, their history and the one state machine."""
