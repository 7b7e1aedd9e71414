"""Writes for the plans family."""
