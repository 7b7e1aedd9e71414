"""Forms for roster import, the organizer's member pages and the court's units."""

from __future__ import annotations

import hashlib

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Court, Department, Member, PartyBranch, PartyGroup, StudyGroup, StudyGroupMembership
from .roster import RosterFileError, UnknownValue, parse_roster
from .selection import SelectManyForm


class RosterUploadForm(forms.Form):
    court = forms.ModelChoiceField(label=_("Court"), queryset=Court.objects.none())
    file = forms.FileField(
        label=_("Roster file"),
        allow_empty_file=True,  # an empty file gets the reader's message, which says what to do
        help_text=_("Excel (.xlsx) or CSV, with the headers of the template in the first row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
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


class RosterValuesForm(forms.Form):
    """One choice per 岗位类别 / 政治面貌 value the court has not explained yet ("司法辅助" → 审判辅助).

    Fields are named after the value itself, not its position, so an answer cannot land on
    another value if the list changed between showing the page and sending it.
    """

    EMPTY = "-"

    def __init__(self, *args, unknown_values: list[UnknownValue], **kwargs):
        super().__init__(*args, **kwargs)
        self.keys: dict[str, tuple[str, str]] = {}
        for unknown in unknown_values:
            digest = hashlib.sha256(f"{unknown.field}\n{unknown.raw}".encode()).hexdigest()[:12]
            name = f"value_{digest}"
            self.keys[name] = (unknown.field, unknown.raw)
            lines = "、".join(str(n) for n in unknown.lines[:10]) + ("…" if len(unknown.lines) > 10 else "")
            self.fields[name] = forms.ChoiceField(
                label=_("%(column)s “%(value)s”") % {"column": unknown.header, "value": unknown.raw},
                required=False,
                choices=[
                    ("", _("— choose what it means —")),
                    *unknown.choices,
                    (self.EMPTY, pgettext_lazy("roster value", "leave it empty")),
                ],
                help_text=_("Rows %(lines)s") % {"lines": lines},
            )

    def answers(self) -> dict[tuple[str, str], str]:
        """The values chosen, {(field, as written): value}; "" means leave empty. Unanswered ones are left out."""
        chosen = {}
        for name, key in self.keys.items():
            value = self.cleaned_data.get(name)
            if value:
                chosen[key] = "" if value == self.EMPTY else value
        return chosen


class RosterConfirmForm(forms.Form):
    deactivate_missing = forms.BooleanField(
        label=_("Deactivate the members who are not in the file"),
        required=False,
    )
    # Set by the "import the other rows" button: the user saw the rows with errors and skips them.
    skip_errors = forms.BooleanField(required=False, widget=forms.HiddenInput)


class MemberForm(forms.ModelForm):
    """An organizer's edit of one member. Units come from the member's court (and the organizer's scope)."""

    class Meta:
        model = Member
        fields = [
            "name",
            "title",
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
    "auth.account_unlocked": _("login unlocked"),
    "auth.address_unlocked": _("address unlocked"),
    "member.role_changed": _("role changed"),
    "member.password_reset": _("password reset"),
    "member.updated": _("member edited"),
    "member.activated": _("member reactivated"),
    "member.deactivated": _("member deactivated"),
    "roster.imported": _("roster imported"),
    "roster.exported": _("roster exported"),
    "department.created": _("department created"),
    "department.updated": _("department edited"),
    "department.deleted": _("department deleted"),
    "department.moved": _("department moved in the court's order"),
    "branch.created": _("party branch created"),
    "branch.updated": _("party branch edited"),
    "branch.deleted": _("party branch deleted"),
    "study_group.created": _("study group created"),
    "study_group.updated": _("study group edited"),
    "study_group.deleted": _("study group deleted"),
    "study_group.members_added": _("study group members added"),
    "study_group.member_removed": _("study group member removed"),
    "study_group.role_changed": _("group leader changed"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


# --- the court's units ------------------------------------------------------------------------


def member_label(member: Member) -> str:
    """Name and department: two 张明 in one court are told apart."""
    return f"{member.name} · {member.department.name}" if member.department_id else member.name


def court_people(court: Court, keep: int | None = None):
    """The court's active members by name, for pickers (a few hundred at most); `keep` stays
    choosable even when inactive, so saving a form does not silently drop a current head."""
    people = Member.objects.filter(court=court).select_related("department").order_by("name", "pk")
    return people.filter(Q(is_active=True) | Q(pk=keep)) if keep else people.active()


class _UnitWithPersonForm(forms.Form):
    """A unit's name and the one person of the court who leads it (the field named by `person`)."""

    person = ""
    name = forms.CharField(label=pgettext_lazy("unit", "Name"), max_length=100)

    def __init__(self, *args, court: Court, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields[self.person]
        field.queryset = court_people(court, keep=self.initial.get(self.person))
        field.label_from_instance = member_label


class DepartmentForm(_UnitWithPersonForm):
    person = "head"
    head = forms.ModelChoiceField(
        label=_("Department head"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("(nobody)"),
        help_text=_("Comments on the monthly plans of the department."),
    )


class BranchForm(_UnitWithPersonForm):
    person = "secretary"
    secretary = forms.ModelChoiceField(
        label=_("Branch secretary"), queryset=Member.objects.none(), required=False, empty_label=_("(nobody)")
    )


class StudyGroupForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("unit", "Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=StudyGroup.Kind.choices, initial=StudyGroup.Kind.STUDY)
    parent = forms.ModelChoiceField(
        label=_("Parent group"),
        queryset=StudyGroup.objects.none(),
        required=False,
        empty_label=_("(none: a group of its own)"),
        help_text=_("Choose a group to make this one a squad (学习小队) of it."),
    )

    def __init__(self, *args, court: Court, group: StudyGroup | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = StudyGroup.objects.filter(court=court, parent__isnull=True)  # natural order (Meta.ordering)
        if group is not None:
            parents = parents.exclude(pk=group.pk)
        self.fields["parent"].queryset = parents


class GroupMembersForm(SelectManyForm):
    """People to add to a study group: ticked ones (`pick`), everyone the filter lists, or pasted 工号.

    `people` is who may be added: the active people of the group's court, and of the courts below
    when the group is open to them (两级法院), who are not in it yet."""

    def __init__(self, *args, group: StudyGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = (
            Member.objects.active()
            .filter(court__in=group.member_courts())
            .exclude(group_memberships__group=group)
            .select_related("department", "court")
            .order_by("court__code", "name", "pk")
        )


class GroupRoleForm(forms.Form):
    role = forms.ChoiceField(choices=StudyGroupMembership.Role.choices)


class CourtOriginalityForm(forms.ModelForm):
    """The court's originality check: off by default, and the share of a text that flags it."""

    class Meta:
        model = Court
        fields = ["originality_check", "originality_threshold"]
