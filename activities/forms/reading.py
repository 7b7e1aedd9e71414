"""Forms of the reading family: they clean and normalise; services write."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courtlearn.uploads import DocumentUploadField, ImageUploadField
from members.models import Member

from ..models.reading import (
    MAX_MINUTES_PER_DAY,
    MAX_PAGES_PER_LOG,
    Book,
    BookCategory,
    PartnerOrganization,
    ReadingCampaign,
    month_start,
    normalize_isbn,
)
from ..selectors.reading import member_books

MAX_CAMPAIGN_DAYS = 3 * 366


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MonthField(forms.DateField):
    """<input type=month>: a month, cleaned to its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        day = super().to_python(value)
        return month_start(day) if day else day


def _positive_id(value) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdigit() and len(value) < 12 else None


# --- campaigns ------------------------------------------------------------------------------


class CampaignForm(forms.ModelForm):
    plan_document = DocumentUploadField(
        label=_("Plan document"),
        required=False,
        allowed=("pdf", "docx"),
        help_text=_("The campaign plan (活动方案), PDF or Word (.docx), at most 10 MB."),
    )

    class Meta:
        model = ReadingCampaign
        fields = [
            "title",
            "starts_on",
            "ends_on",
            "goal_books",
            "audience",
            "departments",
            "study_groups",
            "recommenders",
            "initiative_letter",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "departments": forms.CheckboxSelectMultiple,
            "study_groups": forms.CheckboxSelectMultiple,
            "recommenders": forms.SelectMultiple(attrs={"size": 8}),
            "initiative_letter": forms.Textarea(attrs={"rows": 8}),
            "audience": forms.RadioSelect,
        }

    def __init__(self, *args, court, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = court.departments.all()
        self.fields["study_groups"].queryset = court.study_groups.all()
        self.fields["recommenders"].queryset = Member.objects.active().filter(court=court).order_by("name")
        self.fields["goal_books"].widget.attrs.update({"min": 1, "max": 200})

    def clean_goal_books(self):
        goal = self.cleaned_data.get("goal_books")
        if goal is not None and not 1 <= goal <= 200:
            raise ValidationError(_("The goal is between 1 and 200 books."))
        return goal

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends:
            if ends < starts:
                self.add_error("ends_on", _("The campaign must end on or after the day it starts."))
            elif (ends - starts).days > MAX_CAMPAIGN_DAYS:
                self.add_error("ends_on", _("A campaign lasts at most three years."))
        if data.get("audience") == ReadingCampaign.Audience.UNITS and not (
            data.get("departments") or data.get("study_groups")
        ):
            self.add_error("departments", _("Choose at least one department or study group."))
        return data


class CampaignStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ReadingCampaign.Status.choices)


# --- books ----------------------------------------------------------------------------------


class BookForm(forms.ModelForm):
    # Longer than the model's 13 digits: people type hyphens; clean_isbn normalises.
    isbn = forms.CharField(
        label=_("ISBN"), max_length=30, required=False, help_text=_("ISBN-10 or ISBN-13; hyphens are fine.")
    )
    cover = ImageUploadField(label=_("Cover"), required=False)

    class Meta:
        model = Book
        fields = ["title", "author", "publisher", "year", "isbn", "category"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = BookCategory.objects.all()
        self.fields["isbn"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean_isbn(self) -> str:
        raw = self.cleaned_data.get("isbn", "").strip()
        if not raw:
            return ""
        isbn = normalize_isbn(raw)
        existing = Book.objects.filter(isbn=isbn).exclude(pk=self.instance.pk).first()
        if existing is not None:
            raise ValidationError(_("This ISBN is already in the catalogue: %(book)s.") % {"book": existing})
        return isbn

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is not None and not 1000 <= year <= dt.date.today().year + 1:
            raise ValidationError(_("Enter the year of publication, e.g. 2023."))
        return year


class BookSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ModelChoiceField(label=_("Category"), queryset=BookCategory.objects.all(), required=False)


# --- recommendations ------------------------------------------------------------------------


class RecommendationForm(forms.Form):
    book = forms.ModelChoiceField(
        label=_("Book"), queryset=Book.objects.order_by("title", "pk"), empty_label=_("Choose a book")
    )
    recommender_title = forms.CharField(
        label=_("Your title on the poster"),
        max_length=40,
        required=False,
        help_text=_("For example 党组书记、院长. Empty: your post."),
    )
    text = forms.CharField(
        label=_("Recommendation"),
        max_length=600,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Why read this book? 10 to 600 characters; it goes on the poster."),
    )


# --- plans and logs -------------------------------------------------------------------------


class PlanItemForm(forms.Form):
    book = forms.ModelChoiceField(label=_("Book"), queryset=Book.objects.none(), empty_label=_("Choose a book"))
    target_month = MonthField(label=_("Target month"))

    def __init__(self, *args, member: Member, campaign: ReadingCampaign, include=(), **kwargs):
        super().__init__(*args, **kwargs)
        posted = _positive_id(self.data.get(self.add_prefix("book"))) if self.is_bound else None
        ids = [*include, posted] if posted else list(include)
        recommended = list(campaign.recommendations.values_list("book_id", flat=True))
        self.fields["book"].queryset = member_books(member, include=[*ids, *recommended])
        months = campaign.months()
        self.fields["target_month"].widget.attrs.update({"min": f"{months[0]:%Y-%m}", "max": f"{months[-1]:%Y-%m}"})


class LazyModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose queryset is built on first use (validation, rendering its widget).

    The reading-log form page renders the book list it took from the cache itself; building the
    member's book query for nothing would cost that page a good part of its time.
    """

    _build = None

    def build_queryset_with(self, build) -> None:
        self._build = build

    def _get_queryset(self):
        if self._build is not None:
            build, self._build = self._build, None
            self.queryset = build()
        return self._queryset

    queryset = property(_get_queryset, forms.ModelChoiceField._set_queryset)


class ReadingLogForm(forms.Form):
    book = LazyModelChoiceField(
        label=_("Book"),
        queryset=Book.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "tap-target"}),
    )
    day = forms.DateField(label=_("Date"), required=False, widget=DateInput(), help_text=_("Today if left empty."))
    minutes = forms.IntegerField(
        label=pgettext_lazy("duration", "Minutes"),
        required=False,
        min_value=1,
        max_value=MAX_MINUTES_PER_DAY,
        widget=forms.NumberInput,
    )
    pages = forms.IntegerField(
        label=pgettext_lazy("pages read", "Pages"), required=False, min_value=1, max_value=MAX_PAGES_PER_LOG
    )
    finished = forms.BooleanField(label=_("I finished the book"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, member: Member, today: dt.date, include=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        posted = _positive_id(self.data.get(self.add_prefix("book"))) if self.is_bound else None
        ids = [*include, posted] if posted else list(include)
        self.fields["book"].build_queryset_with(lambda: member_books(member, include=ids))
        self.fields["day"].widget.attrs["max"] = today.isoformat()
        for name in ("minutes", "pages"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "class": "tap-target"})

    def clean_day(self) -> dt.date:
        day = self.cleaned_data.get("day") or self.today
        if day > self.today:
            raise ValidationError(_("The date cannot be in the future."))
        return day

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("minutes") or data.get("pages")):
            raise ValidationError(_("Enter the minutes you read or the pages you read."))
        return data


# --- reflections ----------------------------------------------------------------------------


class ReflectionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    book = forms.ModelChoiceField(
        label=_("Book"), queryset=Book.objects.none(), required=False, empty_label=_("(no book)")
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=ReadingCampaign.objects.none(), required=False, empty_label=_("(no campaign)")
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=30000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Plain text; Markdown works too (**bold**, lists, > quotes). HTML is shown as text."),
    )
    attachment = DocumentUploadField(
        label=_("Attachment"), required=False, allowed=("pdf", "docx"), help_text=_("Optional: PDF or Word (.docx).")
    )

    def __init__(self, *args, member: Member, user, include_books=(), include_campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        posted = _positive_id(self.data.get(self.add_prefix("book"))) if self.is_bound else None
        ids = [*include_books, posted] if posted else list(include_books)
        self.fields["book"].queryset = member_books(member, include=ids)
        campaigns = ReadingCampaign.objects.visible_to(user).for_audience_member(member)
        allowed = campaigns.filter(status=ReadingCampaign.Status.ACTIVE)
        if include_campaign is not None:
            allowed = campaigns.filter(pk=include_campaign) | allowed
        self.fields["campaign"].queryset = allowed.order_by("-starts_on")

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("book") and not data.get("campaign"):
            raise ValidationError(_("Link the reflection to a book, a campaign, or both."))
        return data


class ReviewForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("feature", _("Feature")), ("return", _("Return for revision")), ("unfeature", _("Unfeature"))]
    )
    comment = forms.CharField(label=_("Comment for the author"), required=False, max_length=2000)


# --- partners and donations -----------------------------------------------------------------


class PartnerForm(forms.ModelForm):
    class Meta:
        model = PartnerOrganization
        fields = ["name", "kind", "contact", "phone", "address", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class DonationForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Recipient"), queryset=PartnerOrganization.objects.none(), empty_label=_("Choose a partner")
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=ReadingCampaign.objects.none(), required=False, empty_label=_("(no campaign)")
    )
    day = forms.DateField(label=_("Date"), widget=DateInput())
    receipt = ImageUploadField(label=_("Receipt photo"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, court, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["partner"].queryset = PartnerOrganization.objects.filter(court=court)
        self.fields["campaign"].queryset = ReadingCampaign.objects.filter(court=court)
        self.fields["day"].widget.attrs["max"] = today.isoformat()

    def clean_day(self) -> dt.date:
        day = self.cleaned_data["day"]
        if day > self.today:
            raise ValidationError(_("The date cannot be in the future."))
        return day


class DonationItemForm(forms.Form):
    title = forms.CharField(label=_("Book title"), max_length=200, required=False)
    count = forms.IntegerField(label=_("Copies"), min_value=1, max_value=10000, required=False)

    def clean(self):
        data = super().clean()
        if data.get("title") and not data.get("count"):
            self.add_error("count", _("How many copies?"))
        if data.get("count") and not data.get("title"):
            self.add_error("title", _("Which title?"))
        return data


DonationItemFormSet = forms.formset_factory(DonationItemForm, extra=5, max_num=50, absolute_max=50)
