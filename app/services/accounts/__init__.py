"""Accounts: users, pool members' sign-in, passwords, API tokens, organisations."""
