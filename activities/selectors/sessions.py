"""Reads for the sessions family."""
