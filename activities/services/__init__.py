"""Writes for activities, one module per family (activities.services.reading, …)."""
