"""Forms of the site admin's set-up pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Court, Member

STAFF_ROLE_CHOICES = [
    (Member.Role.ORGANIZER, _("organizer (political department: imports the roster, runs the activities)")),
    (Member.Role.LEADER, _("leader (reads the dashboards and summaries)")),
]


class CourtForm(forms.Form):
    """Name, code and supervising court, validated like the model's fields."""

    name = forms.CharField(label=_("Name of the court"), max_length=100, help_text=_("For example 前郭县人民法院."))
    code = forms.SlugField(
        label=_("Court code"),
        max_length=30,
        help_text=_("Letters, digits and hyphens, for example qg. New login names begin with it: qg-1024."),
    )
    parent = forms.ModelChoiceField(
        label=_("Supervising court"),
        queryset=Court.objects.none(),
        required=False,
        empty_label=_("none (a court at the top)"),
        help_text=_("The intermediate court of the city, for a basic court. Its leaders see this court too."),
    )

    def __init__(self, *args, court: Court | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Court.objects.order_by("name")
        if court is not None:  # never under itself or a court below it
            parents = parents.exclude(pk__in=Court.objects.with_descendants(court).values("pk"))
        self.fields["parent"].queryset = parents

    def clean_code(self) -> str:
        return self.cleaned_data["code"].lower()


class StaffPickForm(forms.Form):
    """Name an existing member of the court organizer or leader."""

    member = forms.ModelChoiceField(label=_("Member of the court"), queryset=Member.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=STAFF_ROLE_CHOICES, widget=forms.RadioSelect)

    def __init__(self, *args, court: Court, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.filter(court=court).active().order_by("name")


class StaffCreateForm(forms.Form):
    """A person not in the system yet: a new account with an initial password."""

    name = forms.CharField(label=_("Name"), max_length=50)
    employee_number = forms.CharField(
        label=_("Employee number (工号)"),
        max_length=30,
        help_text=_("As in the court's roster: the roster import recognises the person by it."),
    )
    department = forms.CharField(
        label=_("Department"), max_length=100, required=False, help_text=_("Optional, for example 政治部.")
    )
    role = forms.ChoiceField(label=_("Role"), choices=STAFF_ROLE_CHOICES, widget=forms.RadioSelect)
