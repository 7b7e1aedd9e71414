"""Summary rows built by Celery (reports issue)."""
