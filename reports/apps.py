from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Writes to the records the summaries read mark their court's periods stale.
        from . import freshness

        freshness.connect()
