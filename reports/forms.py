"""The organizer's wording of the 情况总结: title, every sentence, closing; checked before saving."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from .metrics import all_metrics
from .models import ReportTemplate
from .narrative import (
    CLOSING_PLACEHOLDERS,
    FAMILIES,
    PLACEHOLDERS,
    SENTENCES,
    TITLE_PLACEHOLDERS,
    Sentence,
    TemplateProblem,
    check_template,
    default_closing,
    default_text,
    is_unwritten_closing,
)


def _checked(text: str, allowed: tuple[str, ...]) -> str:
    try:
        check_template(text, allowed)
    except TemplateProblem as problem:
        raise forms.ValidationError(str(problem)) from None
    return text


@dataclass
class SentenceRow:
    """One sentence as the organizer sees it: the box, the reset box, the default and its placeholders."""

    sentence: Sentence
    field: forms.BoundField
    reset: forms.BoundField
    default: str
    placeholders: list[tuple[str, str]]
    customized: bool


class ReportTemplateForm(forms.ModelForm):
    """Every sentence of the draft, prefilled with the court's wording or the default.

    A sentence left empty, or with "reset" ticked, goes back to the default. A sentence with an
    unknown placeholder or unpaired braces is refused with a message naming what is wrong.
    Only sentences that differ from the default are stored; keys of sentences that no longer
    exist (the first draft's four sections) are dropped on saving.
    """

    class Meta:
        model = ReportTemplate
        fields = ["title", "closing"]
        widgets = {"closing": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].help_text = _("Placeholders: {court} (the court's name), {period} (the period).")
        self.fields["closing"].required = False
        self.fields["closing"].help_text = _(
            "Problems and next steps, in your own words; one paragraph per line. Empty: no closing part. "
            "Placeholders: {court}, {period}, {we} (我院, or 全市法院 in a city draft)."
        )
        if is_unwritten_closing(self.instance.closing):
            # The model's old default is a note to the organizer; start them from the real default part.
            self.initial["closing"] = default_closing()
        saved = self.instance.sentences or {}
        for key in SENTENCES:
            current = saved.get(key)
            self.fields[f"s_{key}"] = forms.CharField(
                required=False,
                max_length=500,
                initial=current if isinstance(current, str) and current.strip() else default_text(key),
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"reset_{key}"] = forms.BooleanField(required=False, label=_("Back to the default"))

    def clean_title(self) -> str:
        return _checked(self.cleaned_data["title"], TITLE_PLACEHOLDERS)

    def clean_closing(self) -> str:
        return _checked(self.cleaned_data.get("closing") or "", CLOSING_PLACEHOLDERS)

    def clean(self):
        cleaned = super().clean()
        self.sentences: dict[str, str] = {}
        for key, sentence in SENTENCES.items():
            name = f"s_{key}"
            text = (cleaned.get(name) or "").strip()
            if cleaned.get(f"reset_{key}") or not text or text == default_text(key):
                continue
            try:
                check_template(text, sentence.placeholders)
            except TemplateProblem as problem:
                self.add_error(name, str(problem))
                continue
            self.sentences[key] = text
        if any(name.startswith("s_") for name in self.errors):
            raise forms.ValidationError(
                _("Some sentences could not be saved; nothing was changed. Correct the ones marked below.")
            )
        return cleaned

    def save(self, commit: bool = True) -> ReportTemplate:
        self.instance.sentences = self.sentences
        return super().save(commit)

    def rows(self) -> list[tuple[str, list[SentenceRow]]]:
        """The sentences grouped by family, in the draft's order, for the page."""
        saved = self.instance.sentences or {}
        groups = []
        for family, label in FAMILIES:
            rows = [
                SentenceRow(
                    sentence=sentence,
                    field=self[f"s_{key}"],
                    reset=self[f"reset_{key}"],
                    default=default_text(key),
                    placeholders=[(name, str(PLACEHOLDERS[name])) for name in sentence.placeholders],
                    customized=isinstance(saved.get(key), str) and saved[key].strip() not in ("", default_text(key)),
                )
                for key, sentence in SENTENCES.items()
                if sentence.family == family
            ]
            if rows:
                groups.append((str(label), rows))
        return groups


class PointsWeightsForm(forms.Form):
    """One field per output metric: points each, blank for none."""

    def __init__(self, *args, current: dict[str, float] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        for metric in all_metrics():
            if metric.output:
                self.fields[metric.key] = forms.DecimalField(
                    label=metric.label,
                    help_text=metric.definition,
                    required=False,
                    min_value=0,
                    max_value=1000,
                    decimal_places=1,
                    initial=current.get(metric.key),
                )

    def weights(self) -> dict[str, float]:
        return {key: value for key, value in self.cleaned_data.items() if value}
