"""Awards (一等奖 … 论坛之星) and their certificates (an image drawn with Pillow, also as PDF)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from courtlearn.outbox import enqueue
from courtlearn.text import quoted
from members.models import Member
from members.services import audit, notify, notify_many

from ...models import Award, Contest, Entry
from ...selectors.contests import contest_standings, forum_star_candidate
from . import ActionRefused


class CertificateFontMissing(ImproperlyConfigured):
    pass


def _queue_certificate(award: Award) -> None:
    from ...tasks.contests import award_certificate_render_task

    enqueue(award_certificate_render_task, award.pk)


def book_title(title: str) -> str:
    """《打造学习型党支部》: a project's or work's title in book marks, never twice."""
    title = (title or "").strip()
    if title.startswith("《") and title.endswith("》"):
        return title
    return "《" + title.replace("《", "〈").replace("》", "〉") + "》"


def award_notice(award: Award) -> str:
    """The notice to the winner; for a unit's entry, to its contact, naming the unit and project."""
    entry, contest = award.entry, award.contest
    if entry.by_unit:
        return _("%(unit)s's project %(project)s was named %(award)s in %(contest)s.") % {
            "unit": entry.entrant_name,
            "project": book_title(entry.title),
            "award": award.name,
            "contest": contest.title,
        }
    return _("You received %(award)s in %(contest)s.") % {"award": award.name, "contest": contest.title}


def _notify_if_published(award: Award) -> None:
    contest = award.contest
    if contest.phase == Contest.Phase.PUBLISHED:
        notify(
            recipient=award.entry.member,
            kind="contest_award",
            text=award_notice(award),
            url=contest.get_absolute_url(),
            dedupe_key=f"award:{award.pk}",
        )


@transaction.atomic
def award_create(*, actor: Member, contest: Contest, entry: Entry, kind: str, custom_name: str = "") -> Award:
    if entry.contest_id != contest.pk:
        raise ActionRefused(_("This entry is not in this contest."))
    if contest.phase not in (Contest.Phase.JUDGING, Contest.Phase.PUBLISHED):
        raise ActionRefused(_("Awards are given once voting and judging have started."))
    if kind == Award.Kind.FORUM_STAR and not contest.voting_enabled:
        raise ActionRefused(_("The forum star is the audience's choice; this contest has no audience vote."))
    custom_name = custom_name.strip() if kind == Award.Kind.CUSTOM else ""
    if kind == Award.Kind.CUSTOM and not custom_name:
        raise ActionRefused(_("Name the award."))
    try:
        with transaction.atomic():
            award = Award.objects.create(
                contest=contest, entry=entry, kind=kind, custom_name=custom_name, created_by=actor
            )
    except IntegrityError:
        raise ActionRefused(_("This entry already has this award.")) from None
    audit(actor=actor.user, action="contest.award_given", target=award, entry=entry.pk, award=award.name)
    _queue_certificate(award)
    _notify_if_published(award)
    return award


@transaction.atomic
def awards_from_standings(
    *,
    actor: Member,
    contest: Contest,
    first: int = 0,
    second: int = 0,
    third: int = 0,
    excellence: int = 0,
    forum_star: bool = False,
) -> list[Award]:
    """Give prizes down the ranking (一等奖 to the top `first` entries, and so on) and the 论坛之星
    to the audience's choice. Entries that already hold a prize of that kind are skipped."""
    if contest.phase not in (Contest.Phase.JUDGING, Contest.Phase.PUBLISHED):
        raise ActionRefused(_("Awards are given once voting and judging have started."))
    standings = contest_standings(contest)
    if first + second + third + excellence > len(standings):
        raise ActionRefused(_("There are more prizes than entries."))
    given = []
    queue = list(standings)
    prized = set(
        contest.awards.exclude(kind__in=[Award.Kind.FORUM_STAR, Award.Kind.CUSTOM]).values_list("entry_id", flat=True)
    )
    queue = [s for s in queue if s.entry.pk not in prized]
    for kind, count in (
        (Award.Kind.FIRST, first),
        (Award.Kind.SECOND, second),
        (Award.Kind.THIRD, third),
        (Award.Kind.EXCELLENCE, excellence),
    ):
        for standing in queue[:count]:
            given.append(award_create(actor=actor, contest=contest, entry=standing.entry, kind=kind))
        queue = queue[count:]
    if forum_star:
        if not contest.voting_enabled:
            raise ActionRefused(_("The forum star is the audience's choice; this contest has no audience vote."))
        if contest.awards.filter(kind=Award.Kind.FORUM_STAR).exists():
            raise ActionRefused(_("The forum star has been chosen already."))
        star = forum_star_candidate(contest, standings)
        if star is None:
            raise ActionRefused(_("No votes yet: there is no forum star to choose."))
        given.append(award_create(actor=actor, contest=contest, entry=star.entry, kind=Award.Kind.FORUM_STAR))
    return given


@transaction.atomic
def award_delete(*, actor: Member, award: Award) -> None:
    audit(actor=actor.user, action="contest.award_removed", target=award, entry=award.entry_id, award=award.name)
    if award.certificate:
        transaction.on_commit(
            lambda name=award.certificate.name, storage=award.certificate.storage: storage.delete(name)
        )
    award.delete()


# ---------------------------------------------------------------------------------------------
# Certificates

CERTIFICATE_SIZE = (2000, 1414)  # A4 landscape proportions
RED = (170, 20, 20)
GOLD = (196, 154, 58)
INK = (40, 30, 30)
PAPER = (255, 251, 240)
NO_LINE_START = set("，。、；：？！）》」』”’,.;:?!)")


def cjk_font(size: int) -> ImageFont.FreeTypeFont:
    path = Path(settings.CJK_FONT_PATH)
    if not path.exists():
        raise CertificateFontMissing(
            f"No Chinese font at CJK_FONT_PATH={path}. Install Debian's fonts-noto-cjk "
            "(apt-get install fonts-noto-cjk) or point CJK_FONT_PATH (and CJK_FONT_INDEX) at a CJK font."
        )
    try:
        return ImageFont.truetype(str(path), size, index=settings.CJK_FONT_INDEX)
    except OSError as exc:
        raise CertificateFontMissing(
            f"The font at CJK_FONT_PATH={path} (index {settings.CJK_FONT_INDEX}) cannot be read: {exc}"
        ) from exc


def wrap_cjk(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Break per character (Chinese has no spaces), keeping closing punctuation off a line's start."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for char in paragraph:
            if font.getlength(line + char) <= width or not line:
                line += char
            elif char in NO_LINE_START:
                # Carry the last character over so the punctuation is not alone at the start.
                lines.append(line[:-1])
                line = line[-1] + char
            else:
                lines.append(line)
                line = char
        lines.append(line)
    return lines


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def render_certificate(award: Award, day: dt.date) -> bytes:
    """The certificate as PNG bytes: name, award, contest, court and date."""
    entry = award.entry
    contest = award.contest
    court = contest.court
    width, height = CERTIFICATE_SIZE
    image = Image.new("RGB", CERTIFICATE_SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle([40, 40, width - 40, height - 40], outline=RED, width=18)
    draw.rectangle([80, 80, width - 80, height - 80], outline=GOLD, width=5)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Certificate of Honour")
        body = _(
            "%(name)s:\n　　In %(contest)s you received %(award)s. This certificate is presented in recognition."
        ) % {"name": entry.member.name, "contest": quoted(contest.title), "award": quoted(award.name)}
    title_font = cjk_font(150)
    title_width = draw.textlength(title, font=title_font)
    draw.text(((width - title_width) / 2, 200), title, font=title_font, fill=RED)
    if entry.by_unit:  # a unit's project is certified to the unit, never to its contact
        body = unit_certificate_body(award)
    body_font = cjk_font(64)
    y = 500
    for line in wrap_cjk(body, body_font, width - 2 * 260):
        draw.text((260, y), line, font=body_font, fill=INK)
        y += 100
    small = cjk_font(56)
    for i, text in enumerate([court.name, chinese_date(day)]):
        text_width = draw.textlength(text, font=small)
        draw.text((width - 260 - text_width, height - 380 + i * 90), text, font=small, fill=INK)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def unit_certificate_body(award: Award) -> str:
    """第三党支部：你单位申报的《…》项目在…中被评为优秀党建创新项目。特发此证，以资鼓励。"""
    contest = award.contest
    title = quoted(contest.title)
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "%(unit)s:\n　　The project %(project)s that your unit put forward was named %(award)s in %(contest)s. "
            "This certificate is presented in recognition."
        ) % {
            "unit": award.entry.entrant_name,
            "project": book_title(award.entry.title),
            "contest": title,
            "award": award.name,
        }


def certificate_pdf(png: bytes) -> bytes:
    with Image.open(io.BytesIO(png)) as image:
        out = io.BytesIO()
        image.convert("RGB").save(out, "PDF", resolution=200)
    return out.getvalue()


def award_certificate_render(*, award_id: int, now: dt.datetime | None = None) -> Award | None:
    """Draw (or draw again) an award's certificate. Safe to run twice; None if the award is gone."""
    award = (
        Award.objects.select_related(
            "entry__member", "entry__branch", "entry__department", "entry__group", "contest__court"
        )
        .filter(pk=award_id)
        .first()
    )
    if award is None:
        return None
    now = now or timezone.now()
    day = (award.contest.published_at or now).astimezone(timezone.get_default_timezone()).date()
    png = render_certificate(award, day)
    old = award.certificate.name if award.certificate else None
    award.certificate.save(f"award-{award.pk}.png", ContentFile(png), save=False)
    award.certificate_rendered_at = now
    award.save(update_fields=["certificate", "certificate_rendered_at"])
    if old and old != award.certificate.name:
        award.certificate.storage.delete(old)
    return award


@dataclass
class AwardsGiven:
    """What one "give many" action did: the new awards, and the entries that held the award already."""

    given: list[Award] = field(default_factory=list)
    already: list[Entry] = field(default_factory=list)


@transaction.atomic
def awards_give_many(
    *, actor: Member, contest: Contest, entries: Sequence[Entry], kind: str, custom_name: str = ""
) -> AwardsGiven:
    """One award kind to many entries at once (5 projects named 优秀党建创新项目 in one action).

    The rules of award_create hold for all: an award that does not fit the contest refuses the
    whole action. Entries already holding this award are left as they are and reported back.
    A fixed number of queries whatever the number of entries; one audit row with the count.
    Entries' members and units should be select_related (the notices name them).
    """
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    if contest.phase not in (Contest.Phase.JUDGING, Contest.Phase.PUBLISHED):
        raise ActionRefused(_("Awards are given once voting and judging have started."))
    if kind not in Award.Kind.values:
        raise ActionRefused(_("Choose the award."))
    if kind == Award.Kind.FORUM_STAR and not contest.voting_enabled:
        raise ActionRefused(_("The forum star is the audience's choice; this contest has no audience vote."))
    custom_name = custom_name.strip() if kind == Award.Kind.CUSTOM else ""
    if kind == Award.Kind.CUSTOM and not custom_name:
        raise ActionRefused(_("Name the award."))
    entries = list({e.pk: e for e in entries if e.contest_id == contest.pk}.values())
    holding = set(
        Award.objects.filter(
            contest=contest, entry__in=[e.pk for e in entries], kind=kind, custom_name=custom_name
        ).values_list("entry_id", flat=True)
    )
    result = AwardsGiven(already=[e for e in entries if e.pk in holding])
    new = [
        Award(contest=contest, entry=e, kind=kind, custom_name=custom_name, created_by=actor)
        for e in entries
        if e.pk not in holding
    ]
    if not new:
        return result
    try:
        with transaction.atomic():
            result.given = Award.objects.bulk_create(new)
    except IntegrityError:
        # Someone gave one of them the same award a moment ago.
        raise ActionRefused(_("Some of these entries were given this award just now; try again.")) from None
    audit(
        actor=actor.user,
        action="contest.awards_given_many",
        target=contest,
        award=result.given[0].name,
        count=len(result.given),
        entries=[a.entry_id for a in result.given][:500],
    )
    from ...tasks.contests import award_certificates_render_task

    enqueue(award_certificates_render_task, [a.pk for a in result.given])
    if contest.phase == Contest.Phase.PUBLISHED:
        _notify_many_published(contest, result.given)
    return result


def _notify_many_published(contest: Contest, awards: list[Award]) -> None:
    """award_create's notice for many awards: the same dedupe keys, so publishing again sends none twice."""
    notify_many(
        messages=[(a.entry.member, award_notice(a), f"award:{a.pk}") for a in awards],
        kind="contest_award",
        url=contest.get_absolute_url(),
    )
