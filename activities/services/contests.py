"""Writes for the contests family."""
