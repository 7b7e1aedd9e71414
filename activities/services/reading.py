"""Writes for the reading family."""
