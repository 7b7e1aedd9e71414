"""Reads for the contests family."""
