"""Every members model has a working admin page for the site admin."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from members import models

MODELS = [
    models.Court,
    models.Department,
    models.PartyBranch,
    models.PartyGroup,
    models.StudyGroup,
    models.Member,
    models.AuditEvent,
    models.Notification,
    models.NotificationMute,
    models.ImportBatch,
    models.RosterValueMapping,
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_site_admin_opens_the_changelist(cast, model):
    assert admin.site.is_registered(model)
    superuser = get_user_model().objects.create_superuser("root", password="x")
    client = Client()
    client.force_login(superuser, backend="members.backends.MemberModelBackend")
    url = reverse(f"admin:members_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200
