"""Reads for the reading family."""
