"""Forms of the sessions family. They clean and normalise; services do the writing."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courtlearn.uploads import DocumentUploadField, ImageUploadField
from courtlearn.widgets import Time24Input
from members.access import current_member
from members.models import Department, Member, PartyBranch, StudyGroup

from ..models.sessions import (
    CalendarDay,
    Rota,
    SeriesPlan,
    Session,
    SessionKind,
    Speaker,
    Unavailability,
    local_tz,
)
from ..selectors.sessions import LAST, NEXT_WORKING_DAY, SKIP, RecurrenceRule, quarter_bounds, unit_members
from ..services.sessions import NOTIFICATION_KINDS

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
WORKING_DAY = "wd"
MIN_YEAR, MAX_YEAR = 2000, 2100


class UnitsField(forms.ModelMultipleChoiceField):
    """Units picked by id. An id that is not a number the database can hold is an invalid
    choice, not a 500 (Django's field lets SQLite's OverflowError through)."""

    def _check_values(self, value):
        for pk in value or ():
            if not (isinstance(pk, str | int) and str(pk).isdigit() and len(str(pk)) <= 18):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


ORDINALS = [(1, _("first")), (2, _("second")), (3, _("third")), (4, _("fourth")), (LAST, _("last"))]


# ---------------------------------------------------------------------------
# The organizing unit: one select for court, department, branch or group
# ---------------------------------------------------------------------------


def unit_choices(user, court, *, groups_only: bool = False) -> list[tuple[str, str]]:
    """Units an organizer may use; a scoped organizer sees only their department or branch."""
    me = current_member(user)
    scope_department = me.scope_department_id if me else None
    scope_branch = me.scope_branch_id if me else None
    scoped = bool(scope_department or scope_branch) and not user.is_superuser
    groups = [(f"group:{g.pk}", _("Study group") + f" · {g.name}") for g in StudyGroup.objects.filter(court=court)]
    if groups_only:
        return groups
    choices: list[tuple[str, str]] = []
    if not scoped:
        choices.append(("court", _("Whole court") + f" · {court.name}"))
    departments = Department.objects.filter(court=court)
    branches = PartyBranch.objects.filter(court=court)
    if scoped:
        departments = departments.filter(pk=scope_department or 0)
        branches = branches.filter(pk=scope_branch or 0)
    choices += [(f"dept:{d.pk}", _("Department") + f" · {d.name}") for d in departments]
    choices += [(f"branch:{b.pk}", _("Party branch") + f" · {b.name}") for b in branches]
    if not scoped:
        choices += groups
    return choices


def resolve_unit(value: str, court):
    """'dept:3' → the Department (in this court); 'court' → None."""
    if value == "court":
        return None
    match = re.fullmatch(r"(dept|branch|group):(\d+)", value or "")
    if not match:
        raise ValidationError(_("Choose an organizing unit."))
    model = {"dept": Department, "branch": PartyBranch, "group": StudyGroup}[match[1]]
    unit = model.objects.filter(court=court, pk=int(match[2])).first()
    if unit is None:
        raise ValidationError(_("Choose an organizing unit."))
    return unit


def unit_value(obj) -> str:
    if obj.unit_department_id:
        return f"dept:{obj.unit_department_id}"
    if obj.unit_branch_id:
        return f"branch:{obj.unit_branch_id}"
    if obj.unit_group_id:
        return f"group:{obj.unit_group_id}"
    return "court"


class UnitFormMixin:
    def setup_unit(self, user, court, *, groups_only: bool = False) -> None:
        self.court = court
        self.fields["unit"].choices = unit_choices(user, court, groups_only=groups_only)

    def clean_unit(self):
        return resolve_unit(self.cleaned_data["unit"], self.court)


def combine(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=local_tz())


# ---------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------


class SessionForm(UnitFormMixin, forms.Form):
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=SessionKind.objects.filter(is_active=True))
    title = forms.CharField(label=_("Title"), max_length=120)
    topic = forms.CharField(label=_("Topic"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    unit = forms.ChoiceField(label=_("Organized by"))
    level = forms.ChoiceField(
        label=_("Study level (三学)"), choices=[("", "—"), *Session.Level.choices], required=False
    )
    host_department = forms.ModelChoiceField(
        label=_("Host department"), queryset=Department.objects.none(), required=False
    )
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Starts"), widget=Time24Input())  # 24-hour on every browser
    end_time = forms.TimeField(label=_("Ends"), widget=Time24Input())
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    is_online = forms.BooleanField(label=_("Online"), required=False)
    audience_court = forms.BooleanField(label=_("Audience: the whole court"), required=False)
    audience_departments = UnitsField(
        label=_("Audience: departments"), queryset=Department.objects.none(), required=False
    )
    audience_branches = UnitsField(
        label=_("Audience: party branches"), queryset=PartyBranch.objects.none(), required=False
    )
    audience_groups = UnitsField(label=_("Audience: study groups"), queryset=StudyGroup.objects.none(), required=False)
    # 联学联建: other units of the court holding the session together; it counts for each of them.
    cohost_departments = UnitsField(
        label=_("Co-hosted with: departments"), queryset=Department.objects.none(), required=False
    )
    cohost_branches = UnitsField(
        label=_("Co-hosted with: party branches"), queryset=PartyBranch.objects.none(), required=False
    )
    cohost_groups = UnitsField(
        label=_("Co-hosted with: study groups"),
        queryset=StudyGroup.objects.none(),
        required=False,
        help_text=_("Units that hold the session together with the organizing unit: it counts for each of them."),
    )
    series_plan = forms.ModelChoiceField(
        label=_("Series plan"),
        queryset=SeriesPlan.objects.none(),
        required=False,
        help_text=_("The session takes the plan's next topic."),
    )

    def __init__(self, *args, user, court, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_unit(user, court)
        self.fields["host_department"].queryset = Department.objects.filter(court=court)
        self.fields["audience_departments"].queryset = Department.objects.filter(court=court)
        self.fields["audience_branches"].queryset = PartyBranch.objects.filter(court=court)
        self.fields["audience_groups"].queryset = StudyGroup.objects.filter(court=court)
        self.fields["series_plan"].queryset = SeriesPlan.objects.filter(court=court, is_active=True)
        self.fields["cohost_departments"].queryset = Department.objects.filter(court=court)
        self.fields["cohost_branches"].queryset = PartyBranch.objects.filter(court=court)
        self.fields["cohost_groups"].queryset = StudyGroup.objects.filter(court=court)
        if editing:
            del self.fields["series_plan"]  # an existing session keeps its place in its plan

    @classmethod
    def initial_for(cls, session: Session) -> dict:
        local_start, local_end = timezone.localtime(session.start), timezone.localtime(session.end)
        return {
            "kind": session.kind_id,
            "title": session.title,
            "topic": session.topic,
            "unit": unit_value(session),
            "level": session.level,
            "host_department": session.host_department_id,
            "day": local_start.date(),
            "start_time": local_start.time(),
            "end_time": local_end.time(),
            "place": session.place,
            "is_online": session.is_online,
            "audience_court": session.audience_court,
            "audience_departments": list(session.audience_departments.all()),
            "audience_branches": list(session.audience_branches.all()),
            "audience_groups": list(session.audience_groups.all()),
            "cohost_departments": list(session.cohost_departments.all()),
            "cohost_branches": list(session.cohost_branches.all()),
            "cohost_groups": list(session.cohost_groups.all()),
            "series_plan": session.series_plan_id,
        }

    def clean_day(self):
        day = self.cleaned_data["day"]
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            raise ValidationError(
                _("Enter a date between %(first)s and %(last)s.") % {"first": MIN_YEAR, "last": MAX_YEAR}
            )
        return day

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("start_time") and data.get("end_time"):
            data["start"] = combine(data["day"], data["start_time"])
            data["end"] = combine(data["day"], data["end_time"])
            if data["end"] <= data["start"]:
                self.add_error("end_time", _("The session must end after it starts."))
        if not data.get("place") and not data.get("is_online"):
            self.add_error("place", _("Give the place, or mark the session as online."))
        audience = (
            data.get("audience_court")
            or data.get("audience_departments")
            or data.get("audience_branches")
            or data.get("audience_groups")
            or isinstance(data.get("unit"), StudyGroup)
        )
        if not audience:
            self.add_error(
                "audience_court", _("Choose who is expected: the whole court, departments, branches or groups.")
            )
        unit = data.get("unit")
        for name in ("cohost_departments", "cohost_branches", "cohost_groups"):
            if unit is not None and unit in (data.get(name) or ()):
                self.add_error(name, _("The organizing unit is not its own co-host: choose the other units."))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=200)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=pgettext_lazy("session record", "Minutes"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        strip=True,
    )


class SpeakerForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none(), required=False)
    guest_name = forms.CharField(label=_("or a guest's name"), max_length=50, required=False)
    guest_affiliation = forms.CharField(label=_("Guest's organization and title"), max_length=100, required=False)
    role = forms.ChoiceField(
        label=pgettext_lazy("speaker", "Role"), choices=Speaker.Role.choices, initial=Speaker.Role.OFFICER
    )

    def __init__(self, *args, court, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.filter(court=court, is_active=True).order_by("name")

    def clean(self):
        data = super().clean()
        if not data.get("member") and not data.get("guest_name"):
            raise ValidationError(_("Choose a member or enter a guest's name."))
        if data.get("member") and data.get("guest_name"):
            raise ValidationError(_("Choose a member or enter a guest's name, not both."))
        return data


class MaterialForm(forms.Form):
    file = DocumentUploadField(label=_("File"), allowed=("pdf", "docx", "xlsx", "pptx", "ole", "txt"))
    title = forms.CharField(label=_("Title"), max_length=120, required=False)


class PhotoForm(forms.Form):
    image = ImageUploadField(label=_("Photo"))
    caption = forms.CharField(label=_("Caption"), max_length=120, required=False)


class SignInForm(forms.Form):
    code = forms.CharField(
        label=_("Sign-in code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9]*",
                "class": "form-control-lg",
            }
        ),
    )

    def clean_code(self):
        code = re.sub(r"\s+", "", self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise ValidationError(_("The code has six digits."))
        return code


class ReflectionForm(forms.Form):
    text = forms.CharField(
        label=_("My reflection"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}), strip=True
    )


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}), strip=True)


# ---------------------------------------------------------------------------
# Planning a quarter
# ---------------------------------------------------------------------------


class QuarterPlanForm(UnitFormMixin, forms.Form):
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=SessionKind.objects.filter(is_active=True))
    title = forms.CharField(
        label=_("Title"), max_length=120, help_text=_("Each session gets this title; edit any one later.")
    )
    unit = forms.ChoiceField(label=_("Organized by"), help_text=_("Those expected are the unit's members."))
    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, choices=[(q, f"Q{q}") for q in range(1, 5)])
    frequency = forms.ChoiceField(
        label=_("Repeats"),
        choices=[("weekly", _("weekly")), ("monthly", _("monthly")), ("quarterly", _("once a quarter"))],
    )
    weekday = forms.ChoiceField(
        label=_("On"), choices=[*[(str(n), label) for n, label in WEEKDAYS], (WORKING_DAY, _("working day"))]
    )
    ordinal = forms.TypedChoiceField(
        label=_("Which one in the month"),
        coerce=int,
        choices=ORDINALS,
        initial=1,
        required=False,
        help_text=_("Monthly and quarterly: e.g. the first Wednesday, or the last working day."),
    )
    month_in_quarter = forms.TypedChoiceField(
        label=_("Month of the quarter"),
        coerce=int,
        choices=[(1, _("first month")), (2, _("second month")), (3, _("third month"))],
        initial=1,
        required=False,
    )
    start_time = forms.TimeField(label=_("Starts at"), widget=Time24Input())
    duration_minutes = forms.IntegerField(
        label=pgettext_lazy("duration", "Minutes"), min_value=10, max_value=600, initial=60
    )
    on_holiday = forms.ChoiceField(
        label=_("When it falls on a holiday"),
        choices=[(SKIP, _("skip it")), (NEXT_WORKING_DAY, _("move it to the next working day"))],
        initial=SKIP,
    )
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    is_online = forms.BooleanField(label=_("Online"), required=False)
    use_rota = forms.BooleanField(
        label=_("Speakers from the unit's rota"),
        required=False,
        help_text=_(
            "The members of the study group, party branch or department take turns: everyone speaks once before"
            " anyone speaks twice; marked unavailability is respected."
        ),
    )
    series_plan = forms.ModelChoiceField(
        label=_("Series plan"),
        queryset=SeriesPlan.objects.none(),
        required=False,
        help_text=_("Each session takes the plan's next topic."),
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, court, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_unit(user, court)
        self.fields["series_plan"].queryset = SeriesPlan.objects.filter(court=court, is_active=True)

    def clean_token(self):
        token = self.cleaned_data.get("token") or ""
        if token and not re.fullmatch(r"[0-9a-f]{32}", token):
            raise ValidationError(_("The preview is out of date; preview again."))
        return token

    def clean(self):
        data = super().clean()
        frequency, weekday = data.get("frequency"), data.get("weekday")
        if frequency == "weekly" and weekday == WORKING_DAY:
            self.add_error("weekday", _("A weekly session is on a weekday: choose one."))
        if data.get("use_rota") and not isinstance(data.get("unit"), StudyGroup | PartyBranch | Department):
            self.add_error(
                "use_rota",
                _("A rota belongs to a study group, a party branch or a department: choose one as the organizer."),
            )
        if not data.get("place") and not data.get("is_online"):
            self.add_error("place", _("Give the place, or mark the sessions as online."))
        return data

    def rule(self) -> RecurrenceRule:
        data = self.cleaned_data
        return RecurrenceRule(
            frequency=data["frequency"],
            start_time=data["start_time"],
            duration_minutes=data["duration_minutes"],
            weekday=None if data["weekday"] == WORKING_DAY else int(data["weekday"]),
            ordinal=data.get("ordinal") or 1,
            month_in_quarter=data.get("month_in_quarter") or 1,
            on_holiday=data["on_holiday"],
        )

    def period(self) -> tuple[dt.date, dt.date]:
        return quarter_bounds(self.cleaned_data["year"], self.cleaned_data["quarter"])


# ---------------------------------------------------------------------------
# Series plans, rotas, unavailability, swaps
# ---------------------------------------------------------------------------


class SeriesPlanForm(UnitFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    unit = forms.ChoiceField(label=_("Branch or group"))
    theme = forms.CharField(label=_("Theme"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, court, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_unit(user, court)


class SeriesItemForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=200)
    readings = forms.CharField(
        label=_("Readings"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RotaForm(UnitFormMixin, forms.Form):
    unit = forms.ChoiceField(
        label=_("Unit"), help_text=_("A study group, a party branch or a department; its members take turns.")
    )

    def __init__(self, *args, user, court, **kwargs):
        super().__init__(*args, **kwargs)
        self.court = court
        taken = {
            f"{prefix}:{pk}"
            for prefix, field in (("group", "group_id"), ("branch", "branch_id"), ("dept", "department_id"))
            for pk in Rota.objects.filter(court=court, **{f"{field}__isnull": False}).values_list(field, flat=True)
        }
        self.fields["unit"].choices = [c for c in unit_choices(user, court) if c[0] != "court" and c[0] not in taken]

    def clean_unit(self):
        unit = resolve_unit(self.cleaned_data["unit"], self.court)
        if unit is None or self.cleaned_data["unit"] not in dict(self.fields["unit"].choices):
            raise ValidationError(_("Choose an organizing unit."))
        return unit


class UnavailabilityForm(forms.ModelForm):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())

    class Meta:
        model = Unavailability
        fields = ["member", "first_day", "last_day", "reason", "note"]
        widgets = {
            "first_day": forms.DateInput(attrs={"type": "date"}),
            "last_day": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members

    def clean(self):
        data = super().clean()
        if data.get("first_day") and data.get("last_day"):
            if data["last_day"] < data["first_day"]:
                self.add_error("last_day", _("The last day cannot be before the first day."))
            elif (data["last_day"] - data["first_day"]).days > 366:
                self.add_error("last_day", _("Mark at most a year at a time."))
        return data


class SwapForm(forms.Form):
    other_session = forms.ModelChoiceField(
        label=_("Swap with the turn on"), queryset=Session.objects.none(), required=False
    )
    substitute = forms.ModelChoiceField(label=_("or hand my turn to"), queryset=Member.objects.none(), required=False)
    note = forms.CharField(label=_("Note for whoever decides"), max_length=200, required=False)

    def __init__(self, *args, session: Session, requester: Member, now, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other_session"].queryset = (
            Session.objects.filter(rota_id=session.rota_id, status=Session.Status.PLANNED, start__gt=now)
            .exclude(pk=session.pk)
            .exclude(speakers__member=requester)
            .filter(speakers__member__isnull=False)
            .distinct()
            .order_by("start")
            .prefetch_related("speakers__member")
        )
        self.fields["other_session"].label_from_instance = lambda s: (
            f"{timezone.localtime(s.start):%Y-%m-%d} · {', '.join(sp.name for sp in s.speakers.all())}"
        )
        self.fields["substitute"].queryset = (
            Member.objects.filter(pk__in=[m.pk for m in unit_members(session.rota.unit)])
            .exclude(pk=requester.pk)
            .order_by("name")
        )

    def clean(self):
        data = super().clean()
        if bool(data.get("other_session")) == bool(data.get("substitute")):
            raise ValidationError(_("Choose either another turn to swap with, or a colleague to take the turn."))
        return data


class LeaveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for leave"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("e.g. 外出开庭, 出差, 病假")}),
        strip=True,
    )

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise ValidationError(_("Give the reason for your leave."))
        return reason


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Decline"))])
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


# ---------------------------------------------------------------------------
# Self-reported shares, packages, notification settings
# ---------------------------------------------------------------------------


class ShareForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=120)
    listeners = forms.CharField(label=_("Who listened"), max_length=300, help_text=_("e.g. 民一庭全体干警"))
    listener_count = forms.IntegerField(label=_("Number of listeners"), min_value=1, max_value=10000)
    group = forms.ModelChoiceField(
        label=_("Study group"),
        queryset=StudyGroup.objects.none(),
        required=False,
        help_text=_("Its leader can confirm the share; otherwise an organizer does."),
    )
    material = DocumentUploadField(label=_("Materials"), required=False, allowed=("pdf", "docx", "pptx", "ole", "txt"))

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = StudyGroup.objects.filter(memberships__member=member)

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day.year < MIN_YEAR:
            raise ValidationError(
                _("Enter a date between %(first)s and %(last)s.") % {"first": MIN_YEAR, "last": MAX_YEAR}
            )
        return day


class PackageForm(forms.Form):
    unit = forms.ChoiceField(label=_("Unit"))
    month = forms.CharField(label=_("Month"), widget=forms.DateInput(attrs={"type": "month"}))

    def __init__(self, *args, user, court, **kwargs):
        super().__init__(*args, **kwargs)
        self.court = court
        self.fields["unit"].choices = [c for c in unit_choices(user, court) if c[0] != "court"]

    def clean_unit(self):
        return resolve_unit(self.cleaned_data["unit"], self.court)

    def clean_month(self):
        match = re.fullmatch(r"(\d{4})-(\d{2})", self.cleaned_data["month"].strip())
        if not match or not 1 <= int(match[2]) <= 12 or not 2000 <= int(match[1]) <= 2100:
            raise ValidationError(_("Enter a month like 2026-10."))
        return dt.date(int(match[1]), int(match[2]), 1)


class NotificationSettingsForm(forms.Form):
    muted = forms.MultipleChoiceField(
        label=_("Do not notify me about"),
        choices=NOTIFICATION_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class CourtCalendarDayForm(forms.Form):
    """A court's own holiday or working day."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(
        label=_("The court"),
        choices=[
            (CalendarDay.Kind.HOLIDAY, _("is closed (holiday)")),
            (CalendarDay.Kind.WORKDAY, _("works (working day, 调休上班)")),
        ],
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Name of the day"), max_length=50, help_text=_("For example 国庆节调休 or 院庆."))

    def clean_date(self) -> dt.date:
        date = self.cleaned_data["date"]
        if not 2000 <= date.year <= 2100:
            raise ValidationError(_("Enter a date between 2000 and 2100."))
        return date
