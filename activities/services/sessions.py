"""Writes for the sessions family."""
