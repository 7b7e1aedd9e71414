"""The organizer's sentence templates for the Word summary, checked before they are saved."""

from __future__ import annotations

import string

from django import forms
from django.utils.translation import gettext_lazy as _

from .metrics import all_metrics, all_sections
from .models import ReportTemplate

BUILT_IN_PLACEHOLDERS = {"court", "period"}


def placeholders_in(text: str) -> set[str]:
    """The {names} in a template; ValueError for unbalanced braces."""
    return {field for _literal, field, _spec, _conv in string.Formatter().parse(text) if field is not None}


def braced(names) -> str:
    return ", ".join("{" + name + "}" for name in names)


def check_template(text: str) -> None:
    allowed = BUILT_IN_PLACEHOLDERS | {m.key for m in all_metrics()}
    try:
        used = placeholders_in(text)
    except ValueError:
        raise forms.ValidationError(_("Braces { } must come in pairs around a placeholder name.")) from None
    unknown = sorted(name for name in used if name not in allowed)
    if unknown:
        raise forms.ValidationError(
            _("Unknown placeholders: %(unknown)s. Available: %(allowed)s.")
            % {
                "unknown": braced(unknown),
                "allowed": braced(sorted(allowed)),
            }
        )


class ReportTemplateForm(forms.ModelForm):
    class Meta:
        model = ReportTemplate
        fields = ["title", "closing"]
        widgets = {"closing": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sentences = self.instance.sentences or {}
        for section in all_sections():
            self.fields[f"sentence_{section.key}"] = forms.CharField(
                label=section.title,
                initial=sentences.get(section.key, str(section.sentence)),
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=2000,
            )

    def clean_title(self):
        title = self.cleaned_data["title"]
        check_template(title)
        return title

    def clean(self):
        cleaned = super().clean()
        for section in all_sections():
            name = f"sentence_{section.key}"
            if name in cleaned:
                try:
                    check_template(cleaned[name])
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def save(self, commit: bool = True) -> ReportTemplate:
        self.instance.sentences = {
            section.key: self.cleaned_data[f"sentence_{section.key}"] for section in all_sections()
        }
        return super().save(commit)


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
