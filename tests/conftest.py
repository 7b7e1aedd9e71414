"""The cast every test can use, and fast settings.

A city intermediate court supervises two basic courts. In basic court A (前郭):
  member     - a judge in 民一庭
  colleague  - a clerk in the same department
  organizer  - political department staff
  leader     - the court president (reads court A only)
In basic court B (辽源): outsider - a member of a sibling court.
city_leader leads the city court and reads both basic courts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.test import Client

from courtlearn.celery import app as celery_app
from members.models import Court, Department, Member, PartyBranch

from .factories import PASSWORD, make_court, make_member

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright + live_server + ORM


@dataclass
class Cast:
    city: Court
    court: Court
    other_court: Court
    department: Department
    other_department: Department
    branch: PartyBranch
    member: Member
    colleague: Member
    organizer: Member
    leader: Member
    outsider: Member
    city_leader: Member

    def person(self, role: str) -> Member | None:
        return None if role == "anon" else getattr(self, role)

    def client_for(self, role: str) -> Client:
        client = Client()
        person = self.person(role)
        if person is not None:
            client.force_login(person.user, backend="members.backends.MemberModelBackend")
        return client


@pytest.fixture(autouse=True)
def fast_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = True


@pytest.fixture(autouse=True)
def empty_cache(settings, request):
    """Each test gets its own empty in-process cache.

    A LocMem cache outlives a test, and clearing a shared Redis db would also wipe what the
    other xdist process (and the Celery broker on that db) keeps there.
    """
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": request.node.nodeid},
        "fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"fragments:{request.node.nodeid}",
        },
    }


@pytest.fixture(autouse=True)
def eager_celery(request):
    """Tasks run in-process, except in tests marked `celery`, which use the real broker when
    REDIS_URL is set. Both set it explicitly (and put it back): a CI run once reached the
    round-trip test with in-process tasks left over from an earlier test in the same process."""
    from django.conf import settings

    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = not (request.node.get_closest_marker("celery") and settings.REDIS_URL)
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def cast(db, media_root) -> Cast:
    city = make_court("松原市中级人民法院", "sy")
    court = make_court("前郭县人民法院", "qg", parent=city)
    other_court = make_court("辽源市龙山区人民法院", "ls", parent=city)
    department = Department.objects.create(court=court, name="民一庭")
    political = Department.objects.create(court=court, name="政治部")
    other_department = Department.objects.create(court=other_court, name="刑事审判庭")
    branch = PartyBranch.objects.create(court=court, name="第一党支部")
    member = make_member(
        court,
        "张明",
        department=department,
        username="member",
        branch=branch,
        post=Member.Post.JUDGE,
        position_category=Member.PositionCategory.TRIAL,
    )
    colleague = make_member(
        court,
        "李静",
        department=department,
        username="colleague",
        branch=branch,
        post=Member.Post.CLERK,
        position_category=Member.PositionCategory.SUPPORT,
    )
    organizer = make_member(court, "王芳", department=political, role=Member.Role.ORGANIZER, username="organizer")
    leader = make_member(
        court, "赵院长", department=political, role=Member.Role.LEADER, username="leader", post=Member.Post.LEADER
    )
    outsider = make_member(other_court, "刘洋", department=other_department, username="outsider")
    city_leader = make_member(city, "陈院长", role=Member.Role.LEADER, username="city_leader", post=Member.Post.LEADER)
    return Cast(
        city,
        court,
        other_court,
        department,
        other_department,
        branch,
        member,
        colleague,
        organizer,
        leader,
        outsider,
        city_leader,
    )


@pytest.fixture
def password() -> str:
    return PASSWORD


def reload_data_migrations() -> None:
    """Run our data migrations' RunPython steps again (they are idempotent)."""
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    loader = MigrationLoader(None, ignore_no_migrations=True)
    for (app_label, _name), migration in sorted(loader.disk_migrations.items()):
        if app_label in {"members", "activities", "reports"}:
            for operation in migration.operations:
                if isinstance(operation, RunPython):
                    operation.code(apps, None)


@pytest.fixture
def reference_data(transactional_db) -> None:
    """Transactional tests (browser, Celery, concurrency) start from a flushed database, which
    has lost the rows data migrations load (session kinds, holidays, book categories…)."""
    reload_data_migrations()


def pytest_collection_modifyitems(items):
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = bool(marker and marker.kwargs.get("transaction"))
        names = getattr(item, "fixturenames", [])
        if (transactional or "live_server" in names or "transactional_db" in names) and "reference_data" not in names:
            names.insert(0, "reference_data")


@pytest.fixture
def same_minute(monkeypatch):
    """Pin the 我的学习 panels' one-minute time bucket (activities.panels): a test that expects
    its second request to hit the cache must not fail because a minute turned in between."""
    from activities import panels

    minute = panels.time_bucket()
    monkeypatch.setattr(panels, "time_bucket", lambda: minute)
