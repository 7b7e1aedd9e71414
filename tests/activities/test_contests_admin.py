"""Every model of the contests family has an admin page that opens."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from activities.models import contests as models
from tests.activities.contests_helpers import (
    add_criteria,
    add_entry,
    assign,
    finished_attempt,
    give_award,
    make_assessment,
    make_contest,
    quiz_with_questions,
    record,
)


@pytest.mark.parametrize("name", models.__all__)
def test_admin_pages_open(cast, client, name):
    contest = make_contest(cast.court, judging=True)
    add_criteria(contest)
    entry = add_entry(contest, cast.colleague)
    assign(contest, entry, cast.member)
    give_award(contest, entry)
    finished_attempt(quiz_with_questions(cast.court, 2), cast.member)
    record(make_assessment(cast.court), cast.member, chars_per_minute=120, accuracy=96)
    model = getattr(models, name)
    assert admin.site.is_registered(model)
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.com", "pw"))
    opts = model._meta
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
    obj = model.objects.first()
    if obj is not None:
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert client.get(change).status_code == 200
