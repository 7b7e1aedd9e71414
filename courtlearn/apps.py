"""App configs for third-party apps that need our words."""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    """django-axes (login throttling) under a Chinese name in Django admin: it ships none of its own."""

    verbose_name = _("Login protection")
