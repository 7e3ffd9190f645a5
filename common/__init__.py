"""Shared infrastructure used by every app: one implementation of each piece, no domain models."""
