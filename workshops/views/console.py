"""Facilitator console: workshops, tables, agents, agenda, pre-work."""
