"""Every model of the plans family has a working admin page."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from activities.models import plans

from .plans_fixtures import make_output, make_plan

MODELS = [getattr(plans, name) for name in plans.__all__ if name != "ReportWindow"]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_changelist_and_add_pages(cast, client, model):
    make_plan(cast.member)
    make_output(cast.court, cast.member)
    assert model in admin.site._registry
    superuser = get_user_model().objects.create_superuser("root", password="x")
    client.force_login(superuser, backend="members.backends.MemberModelBackend")
    opts = model._meta
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200
