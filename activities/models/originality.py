"""Originality check: the stored MinHash signature of every checked text, its LSH band keys, and the
result of each check with its closest earlier texts (activities.originality has the maths)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Court, Member

__all__ = ["OriginalityCheck", "OriginalityMatch", "TextBand", "TextSignature"]


class TextKind(models.TextChoices):
    REFLECTION = "reflection", pgettext_lazy("book", "reflection")
    SESSION_REFLECTION = "session_reflection", _("session reflection")
    ENTRY = "entry", _("entry")


class TextSignature(models.Model):
    """One checked text: its MinHash signature (NUM_PERM little-endian uint32) and shingle count.

    `group_key` names the session, campaign or contest the text belongs to ("session:12"): texts of
    one group are compared whatever their court. `digest` is that of the normalised text, so a save
    that changes nothing that counts is not checked again.
    """

    Kind = TextKind

    kind = models.CharField(_("kind"), max_length=20, choices=TextKind.choices)
    object_id = models.PositiveBigIntegerField(_("object id"))
    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="+", verbose_name=_("court"))
    author = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("author")
    )
    group_key = models.CharField(_("group"), max_length=40, blank=True, db_index=True)
    written_at = models.DateTimeField(_("written at"))
    digest = models.CharField(_("digest"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("shingles"), default=0)
    minhash = models.BinaryField(_("signature"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="textsignature_once_per_text")]
        verbose_name = _("text signature")
        verbose_name_plural = _("text signatures")

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class TextBand(models.Model):
    """One LSH band key of a signature. Finding a new text's candidates is one index query:
    `band_key IN (its keys) AND court_id IN (the courts compared)`."""

    # The key is also the lookup index, and rows carry no id of their own: a text has BANDS rows,
    # so every byte of a row counts 64 million times at a million texts.
    pk = models.CompositePrimaryKey("band_key", "court_id", "signature")
    band_key = models.BigIntegerField(_("band key"))
    court_id = models.IntegerField(_("court"))  # the signature's, repeated so the lookup needs no join
    # Indexed (as foreign keys are): without it, deleting one signature makes the database scan
    # every band row for the foreign-key check (measured: minutes at a million texts).
    signature = models.ForeignKey(
        TextSignature, on_delete=models.CASCADE, related_name="bands", verbose_name=_("text signature")
    )

    class Meta:
        verbose_name = _("band key")
        verbose_name_plural = _("band keys")

    def __str__(self) -> str:
        return str(self.band_key)


class OriginalityCheck(models.Model):
    """The result of checking one text against the earlier ones (the latest version checked)."""

    kind = models.CharField(_("kind"), max_length=20, choices=TextKind.choices)
    object_id = models.PositiveBigIntegerField(_("object id"))
    digest = models.CharField(_("digest"), max_length=64)
    similarity = models.PositiveSmallIntegerField(
        _("similarity"), default=0, help_text=_("Percent, the closest match.")
    )
    checked_at = models.DateTimeField(_("checked at"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="originalitycheck_once_per_text")]
        verbose_name = _("originality check")
        verbose_name_plural = _("originality checks")

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.similarity}%"


class OriginalityMatch(models.Model):
    """An earlier text a checked text resembles: how much of the checked text is found in it, and the
    shared passages as [start, end) offsets into each text (`spans` = {"text": […], "source": […]})."""

    check_result = models.ForeignKey(
        OriginalityCheck, on_delete=models.CASCADE, related_name="matches", verbose_name=_("originality check")
    )
    source = models.ForeignKey(
        TextSignature, on_delete=models.CASCADE, related_name="+", verbose_name=_("similar text")
    )
    similarity = models.PositiveSmallIntegerField(_("similarity"))
    spans = models.JSONField(_("shared passages"), default=dict)

    class Meta:
        ordering = ["-similarity", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["check_result", "source"], name="originalitymatch_once_per_source")
        ]
        verbose_name = _("similar text")
        verbose_name_plural = _("similar texts")

    def __str__(self) -> str:
        return f"{self.source} {self.similarity}%"
