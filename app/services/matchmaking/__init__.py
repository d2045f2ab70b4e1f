"""Matchmaking: database rows into the matching engine, proposals, the kept index."""
