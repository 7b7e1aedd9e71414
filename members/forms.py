"""Forms for roster import and the organizer's member pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Court, Department, Member, PartyBranch, PartyGroup
from .roster import RosterFileError, parse_roster


class RosterUploadForm(forms.Form):
    court = forms.ModelChoiceField(label=_("Court"), queryset=Court.objects.none())
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_("Excel (.xlsx) or CSV, with the headers of the template in the first row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, courts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].queryset = courts
        self.only_court = courts[0] if len(courts) == 1 else None
        if self.only_court is not None:  # an organizer imports into their own court: nothing to choose
            del self.fields["court"]

    def clean(self):
        cleaned = super().clean()
        if self.only_court is not None:
            cleaned["court"] = self.only_court
        return cleaned

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.parsed = parse_roster(upload)
        except RosterFileError as exc:
            raise forms.ValidationError(str(exc), code="roster") from None
        return upload


class RosterUnitsForm(forms.Form):
    create = forms.MultipleChoiceField(
        label=_("Create"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["create"].choices = [(u.key, f"{u.kind_label} · {u.label}") for u in units]


class RosterConfirmForm(forms.Form):
    deactivate_missing = forms.BooleanField(
        label=_("Deactivate the members who are not in the file"),
        required=False,
    )


class MemberForm(forms.ModelForm):
    """An organizer's edit of one member. Units come from the member's court (and the organizer's scope)."""

    class Meta:
        model = Member
        fields = [
            "name",
            "department",
            "position_category",
            "post",
            "political_status",
            "party_branch",
            "party_group",
            "birth_date",
        ]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, organizer: Member | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        court = self.instance.court
        departments = Department.objects.filter(court=court)
        branches = PartyBranch.objects.filter(court=court)
        # A limited organizer cannot move people out of their unit into someone else's.
        if organizer is not None and organizer.scope_department_id:
            departments = departments.filter(pk=organizer.scope_department_id)
        if organizer is not None and organizer.scope_branch_id:
            branches = branches.filter(pk=organizer.scope_branch_id)
        self.fields["department"].queryset = departments
        self.fields["party_branch"].queryset = branches
        self.fields["party_group"].queryset = PartyGroup.objects.filter(branch__in=branches).select_related("branch")
        self.fields["party_group"].label_from_instance = lambda g: f"{g.branch.name} · {g.name}"

    def clean(self):
        cleaned = super().clean()
        group, branch = cleaned.get("party_group"), cleaned.get("party_branch")
        if group is not None and group.branch_id != getattr(branch, "pk", None):
            self.add_error("party_group", _("Choose a party group of the member's party branch."))
        return cleaned


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Member.Role.choices)
    scope_department = forms.ModelChoiceField(
        label=_("Limited to department"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("Only for organizers: leave empty to manage the whole court."),
    )
    scope_branch = forms.ModelChoiceField(
        label=_("Limited to party branch"),
        queryset=PartyBranch.objects.none(),
        required=False,
        help_text=_("For a branch secretary who organizes only their branch."),
    )

    def __init__(self, *args, member: Member, actor_member: Member | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.actor_member = actor_member
        self.fields["scope_department"].queryset = Department.objects.filter(court=member.court)
        self.fields["scope_branch"].queryset = PartyBranch.objects.filter(court=member.court)

    def clean(self):
        cleaned = super().clean()
        if self.actor_member is not None and self.actor_member.pk == self.member.pk:
            raise forms.ValidationError(_("You cannot change your own role."))
        if cleaned.get("role") != Member.Role.ORGANIZER and (
            cleaned.get("scope_department") or cleaned.get("scope_branch")
        ):
            raise forms.ValidationError(_("Only an organizer can be limited to a department or branch."))
        if cleaned.get("scope_department") and cleaned.get("scope_branch"):
            raise forms.ValidationError(_("Limit the organizer to a department or to a branch, not both."))
        return cleaned


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)

    def __init__(self, *args, actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions"))] + [(a, action_label(a)) for a in actions]


ACTION_LABELS = {
    "auth.login": _("login"),
    "auth.login_failed": _("failed login"),
    "auth.password_changed": _("password changed"),
    "member.role_changed": _("role changed"),
    "member.password_reset": _("password reset"),
    "member.updated": _("member edited"),
    "member.activated": _("member reactivated"),
    "member.deactivated": _("member deactivated"),
    "roster.imported": _("roster imported"),
    "roster.exported": _("roster exported"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
