"""Demo data for `make run`: three courts, their units, about 150 members, one account per role."""

from __future__ import annotations

import importlib
import pkgutil

from django.core.management.base import BaseCommand
from django.db import transaction

from activities import demo as activity_demo
from members import demo as member_demo


class Command(BaseCommand):
    help = "Create demo courts, people and activities. Safe to run twice."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            people = member_demo.seed_people()
            for module_info in sorted(pkgutil.iter_modules(activity_demo.__path__), key=lambda m: m.name):
                module = importlib.import_module(f"{activity_demo.__name__}.{module_info.name}")
                module.seed(people)
        total = sum(people.members_of(court).count() for court in people.courts)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready: {len(people.courts)} courts, {total} members. Log in with:")
        )
        width = max(len(role) for role, _username, _password in people.accounts)
        for role, username, password in people.accounts:
            self.stdout.write(f"  {role:<{width}}  {username:<12} {password}")
