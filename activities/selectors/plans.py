"""Reads for the plans family."""
