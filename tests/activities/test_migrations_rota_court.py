"""Upgrading a court that already kept 轮值主讲 rotas: migration 0013 moved rotas from study groups
to any unit and gave every rota a court. Its data step takes the court from the rota's study group,
so each existing rota stays with the court whose group it is (a city court's rota stays the city's,
even when the group is open to the courts below). Runs on SQLite and on PostgreSQL alike (the suite
on DATABASE_URL), because PostgreSQL refused the first version of this migration."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("activities", "0012_featured_reflections_and_cohosts")]
AFTER = [("activities", "0014_rota_leave_court_required")]


@pytest.mark.django_db(transaction=True)
def test_existing_rotas_keep_their_groups_court():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        others = [node for node in leaves if node[0] != "activities"]  # members stays as it is today
        old = executor.loader.project_state([*BEFORE, *others]).apps
        Court, StudyGroup, Rota = (old.get_model(*name.split(".")) for name in ("members.Court",
                                   "members.StudyGroup", "activities.Rota"))  # fmt: skip
        city = Court.objects.create(name="松原市中级人民法院", code="songyuan")
        basic = Court.objects.create(name="前郭县人民法院", code="qianguo", parent=city)
        research = StudyGroup.objects.create(court=city, name="两级法院研习小组", spans_courts_below=True)
        youth = StudyGroup.objects.create(court=basic, name="青年理论学习小组")
        quiet = StudyGroup.objects.create(court=basic, name="读书学习小组")
        research_rota = Rota.objects.create(group=research)
        youth_rota = Rota.objects.create(group=youth, is_active=False)

        executor = MigrationExecutor(connection)  # the graph as it is now, with 0012 the last applied
        executor.migrate(AFTER)
        new = executor.loader.project_state([*AFTER, *others]).apps
        Rota = new.get_model("activities", "Rota")
        rotas = {r.pk: (r.court_id, r.group_id, r.branch_id, r.department_id, r.is_active) for r in Rota.objects.all()}
        assert rotas == {
            research_rota.pk: (city.pk, research.pk, None, None, True),
            youth_rota.pk: (basic.pk, youth.pk, None, None, False),
        }
        assert not Rota.objects.filter(group_id=quiet.pk).exists()  # a group without a rota gets none
    finally:
        MigrationExecutor(connection).migrate(leaves)  # the rest of the suite needs today's schema
