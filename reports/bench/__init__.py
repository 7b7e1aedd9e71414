"""`make bench`: province-scale synthetic data on PostgreSQL and the numbers issue 7 asks for.

run.py orchestrates (databases, gunicorn, load); the management commands bench_data,
bench_build and bench_queries do the Django-side work inside one database each.
"""
