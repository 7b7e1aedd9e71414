"""Demo data, one module per family, each with `seed(people: members.demo.People) -> None`.

`manage.py seed_demo` runs members.demo first, then every module here in name order.
Every seeder must be safe to run twice (get_or_create / update_or_create).
"""
