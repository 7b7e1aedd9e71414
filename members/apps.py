from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Courts and members")

    def ready(self) -> None:
        from django.db.models import fields

        from . import signals  # noqa: F401  (login audit receivers)

        # Django 6.1's empty choice of a select ("- Select an option -") has no Chinese in
        # Django's catalogue; Django asks apps to set their own label here.
        fields.BLANK_CHOICE_LABEL = _("- Choose -")
