"""Forms of the plans family. They clean and normalise; services enforce the rules."""

from __future__ import annotations

import datetime as dt
import os

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from courtlearn.uploads import DocumentUploadField, clean_document, clean_image
from members.models import Member, StudyGroup

from ..models.plans import (
    Application,
    Compilation,
    MemberOutcome,
    PlanItem,
    Qualification,
    RecruitmentBatch,
    ResearchOutput,
    month_label,
)
from ..services.plans import AuthorSpec, ItemReport

EARLIEST_DATE = dt.date(1980, 1, 1)


def _check_past(value: dt.date | None, today: dt.date) -> dt.date | None:
    if value is None:
        return value
    if value > today:
        raise ValidationError(_("The date cannot be in the future."), code="future")
    if value < EARLIEST_DATE:
        raise ValidationError(_("The date is too far in the past."), code="too_old")
    return value


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ScanUploadField(forms.FileField):
    """A certificate as a PDF or a photo, checked by content with courtlearn.uploads."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", _("PDF, JPEG or PNG, at most 10 MB."))
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", ".pdf,image/jpeg,image/png,image/webp")

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if value and value is not initial and hasattr(value, "read"):
            original = os.path.basename(getattr(value, "name", "") or "")[:200]
            value.seek(0)
            head = value.read(8)
            value.seek(0)
            if head.startswith(b"%PDF-"):
                cleaned = clean_document(value, ("pdf",))
            else:
                try:
                    cleaned = clean_image(value)
                except ValidationError as error:
                    if error.code == "invalid_image":
                        raise ValidationError(
                            _("Upload a PDF, or a JPEG or PNG photo of the certificate."), code="scan_type"
                        ) from None
                    raise
            cleaned.original_name = original
            return cleaned
        return value


# ============================================================================ monthly plans


class MonthForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)
    month = forms.IntegerField(min_value=1, max_value=12)


class PlanItemForm(forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ["kind", "text"]
        widgets = {"kind": forms.RadioSelect}

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Write what you plan to do."), code="required")
        return text


class PlanReportForm(forms.Form):
    """One status and note per item, and a short summary of the month."""

    summary = forms.CharField(
        label=_("Month-end summary"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what went well, what got in the way."),
    )

    def __init__(self, *args, items: list[PlanItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"status_{item.pk}"] = forms.ChoiceField(
                label=item.text,
                choices=PlanItem.Status.choices,
                widget=forms.RadioSelect,
                initial=item.status or None,
                error_messages={"required": _("Choose done, partly done or not done.")},
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("Note"),
                max_length=500,
                required=False,
                initial=item.note,
                widget=forms.TextInput(attrs={"placeholder": _("What was not done, and why")}),
            )

    def clean(self):
        cleaned = super().clean()
        for item in self.items:
            status = cleaned.get(f"status_{item.pk}")
            note = (cleaned.get(f"note_{item.pk}") or "").strip()
            if status and status != PlanItem.Status.DONE and not note:
                self.add_error(f"note_{item.pk}", _("Say briefly what was not done."))
        return cleaned

    def item_fields(self):
        for item in self.items:
            yield item, self[f"status_{item.pk}"], self[f"note_{item.pk}"]

    def reports(self) -> dict[int, ItemReport]:
        return {
            item.pk: ItemReport(self.cleaned_data[f"status_{item.pk}"], self.cleaned_data[f"note_{item.pk}"] or "")
            for item in self.items
        }


class PlanAssignForm(forms.Form):
    unit = forms.ChoiceField(label=_("Assign to everyone in"))
    month = forms.ChoiceField(label=_("Month"))
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanItem.Kind.choices, initial=PlanItem.Kind.LEARNING)
    text = forms.CharField(label=_("Item"), max_length=300)

    def __init__(self, *args, units, months: list[tuple[int, int]], **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {unit.key: unit for unit in units}
        self.fields["unit"].choices = [(unit.key, unit.label) for unit in units]
        self.fields["month"].choices = [(f"{y}-{m}", month_label(y, m)) for y, m in months]

    def clean_month(self) -> tuple[int, int]:
        year, month = self.cleaned_data["month"].split("-")
        return int(year), int(month)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Write the item."), code="required")
        return text


# ============================================================================ research outputs


class ResearchOutputForm(forms.ModelForm):
    attachment = DocumentUploadField(label=_("Attachment"), required=False)
    clear_attachment = forms.BooleanField(label=_("Remove the attachment"), required=False)

    class Meta:
        model = ResearchOutput
        fields = [
            "kind",
            "title",
            "date",
            "outlet",
            "level",
            "recognition",
            "recognition_note",
            "abstract",
            "body",
        ]
        widgets = {
            "date": DateInput(),
            "abstract": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        if not (self.instance and self.instance.attachment):
            del self.fields["clear_attachment"]

    def clean_date(self):
        return _check_past(self.cleaned_data.get("date"), self.today)

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()


class AuthorForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none(), required=False)
    name = forms.CharField(label=_("Or outside co-author"), max_length=50, required=False)
    affiliation = forms.CharField(label=_("Affiliation"), max_length=100, required=False)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["member"].queryset = members

    def clean(self):
        cleaned = super().clean()
        member, name = cleaned.get("member"), (cleaned.get("name") or "").strip()
        if member is not None and name:
            raise ValidationError(_("Choose a member or type an outside name, not both."), code="both")
        if member is None and not name and (cleaned.get("affiliation") or "").strip():
            raise ValidationError(_("Type the outside co-author's name."), code="name")
        return cleaned

    def spec(self) -> AuthorSpec | None:
        member, name = self.cleaned_data.get("member"), (self.cleaned_data.get("name") or "").strip()
        if member is None and not name:
            return None
        return AuthorSpec(member=member, name=name, affiliation=(self.cleaned_data.get("affiliation") or "").strip())


class BaseAuthorFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        specs = [form.spec() for form in self.forms]
        if not any(spec is not None and spec.member is not None for spec in specs):
            raise ValidationError(_("List at least one author who is a member of the court."), code="no_author")
        members = [spec.member.pk for spec in specs if spec is not None and spec.member is not None]
        if len(members) != len(set(members)):
            raise ValidationError(_("The same member is listed twice among the authors."), code="duplicate")

    def specs(self) -> list[AuthorSpec]:
        """The authors in the order of the rows; empty rows are skipped."""
        return [spec for spec in (form.spec() for form in self.forms) if spec is not None]


def author_formset(*, data=None, members, authors=(), me: Member | None = None, extra: int = 3):
    """Rows for the existing authors in order, then empty rows (the first one is me, for a new output)."""
    initial = [
        {"member": a.member_id, "name": "" if a.member_id else a.name, "affiliation": a.affiliation} for a in authors
    ]
    if not initial and me is not None:
        initial = [{"member": me.pk}]
    formset_class = forms.formset_factory(
        AuthorForm, formset=BaseAuthorFormSet, extra=extra, max_num=20, absolute_max=20
    )
    # Every row is validated, even an unchanged pre-filled one (Django skips unchanged extra rows).
    return formset_class(
        data=data, initial=initial, prefix="authors", form_kwargs={"members": members, "empty_permitted": False}
    )


class OutputFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1980, max_value=2100)
    mine = forms.BooleanField(label=_("Mine only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *ResearchOutput.Kind.choices]
        self.fields["level"].choices = [("", _("All levels")), *ResearchOutput.Level.choices]


# ============================================================================ compilations


class CompilationForm(forms.ModelForm):
    class Meta:
        model = Compilation
        fields = ["title", "compiled_by", "content", "preface"]
        widgets = {"preface": forms.Textarea(attrs={"rows": 4}), "content": forms.RadioSelect}


class CompilationAddForm(forms.Form):
    outputs = forms.ModelMultipleChoiceField(
        queryset=ResearchOutput.objects.none(),
        error_messages={
            "required": _("Tick the outputs to add."),
            "invalid_choice": _("One of the outputs is not available."),
            "invalid_pk_value": _("One of the outputs is not available."),
        },
    )

    def __init__(self, *args, outputs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outputs"].queryset = outputs

    def clean_outputs(self) -> list[ResearchOutput]:
        """In the order they were sent (the order on the page)."""
        order = {value: i for i, value in enumerate(self.data.getlist("outputs"))}
        return sorted(self.cleaned_data["outputs"], key=lambda output: order.get(str(output.pk), len(order)))


# ============================================================================ recruitment


class RecruitmentBatchForm(forms.ModelForm):
    group = forms.ModelChoiceField(label=_("Research study group"), queryset=StudyGroup.objects.none(), required=False)
    new_group = forms.CharField(
        label=_("Or start a new research study group"),
        max_length=100,
        required=False,
        help_text=_("e.g. 习近平法治思想研习小组"),
    )

    class Meta:
        model = RecruitmentBatch
        fields = ["criteria", "capacity", "opens_on", "closes_on"]
        widgets = {"opens_on": DateInput(), "closes_on": DateInput(), "criteria": forms.Textarea(attrs={"rows": 4})}

    spans_courts_below = forms.BooleanField(
        label=_("Open to the courts below"),
        required=False,
        help_text=_(
            "Members of the basic courts your court supervises may apply too (两级法院); their leaders "
            "see their own court's people in the group."
        ),
    )

    field_order = ["group", "new_group", "spans_courts_below", "criteria", "capacity", "opens_on", "closes_on"]

    def __init__(self, *args, groups=None, courts_below: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if groups is None:
            del self.fields["group"], self.fields["new_group"]
            if self.instance.pk:
                self.fields["spans_courts_below"].initial = self.instance.group.spans_courts_below
        else:
            self.fields["group"].queryset = groups
            # Opening a batch may open its group to the courts below, never close it (the batch's edit page does).
            self.fields["spans_courts_below"].help_text = _(
                "Members of the basic courts your court supervises may apply too (两级法院). "
                "A group already open to them stays open."
            )
        if not courts_below:
            del self.fields["spans_courts_below"]

    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("Applications cannot close before they open."))
        if "group" in self.fields:
            group, new_group = cleaned.get("group"), (cleaned.get("new_group") or "").strip()
            if group is None and not new_group:
                self.add_error("group", _("Choose the research study group, or name a new one."))
            elif group is not None and new_group:
                self.add_error("new_group", _("Choose a group or name a new one, not both."))
            cleaned["new_group"] = new_group
        return cleaned


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["statement"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 4})}
        labels = {"statement": _("Why you want to join, and what you bring")}

    def clean_statement(self) -> str:
        statement = self.cleaned_data["statement"].strip()
        if not statement:
            raise ValidationError(_("Write a short statement: why you want to join."), code="required")
        return statement


class DecisionForm(forms.Form):
    status = forms.ChoiceField(choices=Application.Status.choices)


class SquadFormationForm(forms.Form):
    squad_count = forms.IntegerField(label=_("Number of squads"), min_value=1, max_value=50, initial=3)
    replace = forms.BooleanField(label=_("Replace the squads formed before"), required=False)


class SquadMoveForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())
    squad = forms.ModelChoiceField(label=_("Move to"), queryset=StudyGroup.objects.none())

    def __init__(self, *args, members, squads, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["squad"].queryset = squads


class SquadLeaderForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Squad leader"), queryset=Member.objects.none())

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = MemberOutcome
        fields = ["kind", "description", "date", "batch"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, batches, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["batch"].queryset = batches
        self.fields["batch"].required = False

    def clean_date(self):
        return _check_past(self.cleaned_data.get("date"), self.today)


# ============================================================================ qualifications


class QualificationForm(forms.ModelForm):
    file = ScanUploadField(label=_("Scan or photo"), required=False)
    clear_file = forms.BooleanField(label=_("Remove the file"), required=False)

    class Meta:
        model = Qualification
        fields = ["name", "issuer", "issued_on", "number"]
        widgets = {"issued_on": DateInput()}
        help_texts = {"name": _("e.g. 家庭教育指导师 (family-education instructor)")}

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        if not (self.instance and self.instance.file):
            del self.fields["clear_file"]

    def clean_issued_on(self):
        return _check_past(self.cleaned_data.get("issued_on"), self.today)
