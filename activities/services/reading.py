"""Writes for the reading family (书香法院)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import markdown
import nh3
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models import F, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courtlearn.outbox import enqueue
from courtlearn.text import in_quotes
from members.models import Court, Department, Member, StudyGroup
from members.services import audit, notify
from members.versions import bump_courts

from ..models.originality import TextKind
from ..models.reading import (
    MAX_MINUTES_PER_DAY,
    Book,
    BookCategory,
    BookRecommendation,
    Donation,
    DonationItem,
    PartnerOrganization,
    ReadingCampaign,
    ReadingLog,
    ReadingPlan,
    ReadingPlanItem,
    Reflection,
    month_start,
)
from . import reading_posters
from .originality import originality_queue

log = logging.getLogger(__name__)

# --- Markdown -------------------------------------------------------------------------------

MARKDOWN_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "del",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "code",
    "pre",
    "a",
}


def render_markdown(text: str) -> str:
    """Markdown to safe HTML. Raw HTML in the source is shown as text, never passed through;
    nh3 then keeps only the tags above (defence in depth)."""
    md = markdown.Markdown(extensions=["nl2br", "sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    html = md.convert(text or "")
    return nh3.clean(
        html,
        tags=MARKDOWN_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def _set_file(instance: models.Model, field: str, upload, name_field: str | None = None) -> None:
    """Assign a cleaned upload (ContentFile), or clear the field when upload is False."""
    if upload is None:
        return
    old = getattr(instance, field)
    if old:
        old.delete(save=False)
    if upload is False:
        setattr(instance, field, "")
        if name_field:
            setattr(instance, name_field, "")
        return
    setattr(instance, field, upload)
    if name_field:
        setattr(instance, name_field, getattr(upload, "original_name", "")[:200])


# --- campaigns ------------------------------------------------------------------------------

CAMPAIGN_FIELDS = ("title", "starts_on", "ends_on", "goal_books", "audience", "initiative_letter")


@transaction.atomic
def reading_campaign_create(
    *,
    actor: Member,
    court: Court,
    departments: list[Department] | models.QuerySet = (),
    study_groups: list[StudyGroup] | models.QuerySet = (),
    recommenders: list[Member] | models.QuerySet = (),
    plan_document: ContentFile | None = None,
    **fields: Any,
) -> ReadingCampaign:
    campaign = ReadingCampaign(court=court, created_by=actor, **{k: fields[k] for k in CAMPAIGN_FIELDS if k in fields})
    _set_file(campaign, "plan_document", plan_document, "plan_document_name")
    campaign.full_clean(exclude=["plan_document"])
    campaign.save()
    campaign.departments.set(departments)
    campaign.study_groups.set(study_groups)
    campaign.recommenders.set(recommenders)
    audit(actor=actor.user, action="reading.campaign_created", target=campaign, title=campaign.title)
    return campaign


@transaction.atomic
def reading_campaign_update(
    *,
    actor: Member,
    campaign: ReadingCampaign,
    departments: list[Department] | models.QuerySet = (),
    study_groups: list[StudyGroup] | models.QuerySet = (),
    recommenders: list[Member] | models.QuerySet = (),
    plan_document: ContentFile | bool | None = None,
    **fields: Any,
) -> ReadingCampaign:
    # Compare with the stored row: a ModelForm may already have changed the instance in memory.
    old_title = ReadingCampaign.objects.values_list("title", flat=True).get(pk=campaign.pk)
    for key in CAMPAIGN_FIELDS:
        if key in fields:
            setattr(campaign, key, fields[key])
    _set_file(campaign, "plan_document", plan_document, "plan_document_name")
    campaign.full_clean(exclude=["plan_document"])
    campaign.save()
    campaign.departments.set(departments)
    campaign.study_groups.set(study_groups)
    campaign.recommenders.set(recommenders)
    audit(actor=actor.user, action="reading.campaign_updated", target=campaign)
    if campaign.title != old_title:  # the campaign's title is on every poster
        _rerender(BookRecommendation.objects.filter(campaign=campaign))
    return campaign


CAMPAIGN_TRANSITIONS = {
    ReadingCampaign.Status.DRAFT: {ReadingCampaign.Status.ACTIVE},
    ReadingCampaign.Status.ACTIVE: {ReadingCampaign.Status.CLOSED},
    ReadingCampaign.Status.CLOSED: {ReadingCampaign.Status.ACTIVE},
}


@transaction.atomic
def reading_campaign_set_status(*, actor: Member, campaign: ReadingCampaign, status: str) -> ReadingCampaign:
    """draft → active → closed (a closed campaign may be reopened). Activation tells the audience."""
    if status not in CAMPAIGN_TRANSITIONS.get(campaign.status, set()):
        raise ValidationError(_("This change of status is not possible."), code="bad_transition")
    old = campaign.status
    updated = ReadingCampaign.objects.filter(pk=campaign.pk, status=old).update(
        status=status, updated_at=timezone.now()
    )
    if not updated:
        raise ValidationError(_("Someone else changed this campaign meanwhile; reload the page."), code="stale")
    bump_courts([campaign.court_id])
    campaign.status = status
    audit(actor=actor.user, action="reading.campaign_status", target=campaign, old=old, new=status)
    if status == ReadingCampaign.Status.ACTIVE and old == ReadingCampaign.Status.DRAFT:
        from ..tasks.reading import announce_campaign_task

        enqueue(announce_campaign_task, campaign.pk)
    return campaign


def reading_campaign_announce(*, campaign_id: int) -> int:
    """Tell every eligible member about an active campaign; safe to run twice (dedupe key)."""
    campaign = ReadingCampaign.objects.filter(pk=campaign_id, status=ReadingCampaign.Status.ACTIVE).first()
    if campaign is None:
        return 0
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        text = _("New reading campaign: %(title)s. Choose your books and make a reading plan.") % {
            "title": campaign.title
        }
        for member in campaign.eligible_members().only("pk"):
            sent += notify(
                recipient=member,
                kind="reading.campaign",
                text=text,
                url=campaign.get_absolute_url(),
                dedupe_key=f"reading-campaign-{campaign.pk}",
            )
    return sent


def reading_campaign_encourage(*, actor: Member, campaign: ReadingCampaign, today: dt.date) -> int:
    """A friendly reminder to eligible members with no reading logged this month; once a month each."""
    from ..selectors.reading import members_without_reading

    start = month_start(today)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            "%(title)s: a good book is waiting for you this month. Log your reading when you have read a little."
        ) % {"title": campaign.title}
    for member in members_without_reading(campaign, today=today):
        sent += notify(
            recipient=member,
            kind="reading.encourage",
            text=text,
            url=campaign.get_absolute_url(),
            dedupe_key=f"reading-encourage-{campaign.pk}-{start:%Y%m}",
        )
    audit(actor=actor.user, action="reading.campaign_encouraged", target=campaign, sent=sent)
    return sent


# --- books ----------------------------------------------------------------------------------

BOOK_FIELDS = ("title", "author", "publisher", "year", "isbn", "category")


def _duplicate_isbn(isbn: str, exclude_pk: int | None = None) -> ValidationError:
    existing = Book.objects.filter(isbn=isbn).exclude(pk=exclude_pk).first()
    return ValidationError(
        {"isbn": _("This ISBN is already in the catalogue: %(book)s.") % {"book": existing or isbn}},
        code="duplicate_isbn",
    )


@transaction.atomic
def book_create(*, actor: Member | None, cover: ContentFile | None = None, **fields: Any) -> Book:
    book = Book(added_by=actor, **{k: fields[k] for k in BOOK_FIELDS if k in fields})
    book.isbn = book.isbn or ""
    if book.isbn and Book.objects.filter(isbn=book.isbn).exists():
        raise _duplicate_isbn(book.isbn)
    _set_file(book, "cover", cover)
    try:
        with transaction.atomic():
            book.save()
    except IntegrityError:
        raise _duplicate_isbn(book.isbn) from None
    if actor is not None:
        audit(actor=actor.user, action="reading.book_created", target=book, title=book.title)
    return book


@transaction.atomic
def book_update(*, actor: Member, book: Book, cover: ContentFile | bool | None = None, **fields: Any) -> Book:
    # Compare with the stored row: a ModelForm may already have changed the instance in memory.
    shown = Book.objects.values_list("title", "author", "cover").get(pk=book.pk)
    for key in BOOK_FIELDS:
        if key in fields:
            setattr(book, key, fields[key])
    book.isbn = book.isbn or ""
    if book.isbn and Book.objects.filter(isbn=book.isbn).exclude(pk=book.pk).exists():
        raise _duplicate_isbn(book.isbn, book.pk)
    _set_file(book, "cover", cover)
    try:
        with transaction.atomic():
            book.save()
    except IntegrityError:
        raise _duplicate_isbn(book.isbn, book.pk) from None
    audit(actor=actor.user, action="reading.book_updated", target=book)
    if (book.title, book.author, book.cover.name) != tuple(shown):
        _rerender(book.recommendations.all())
    return book


def book_categories_ensure() -> None:
    """The default categories (政治理论, 法律实务…), for a fresh database or the demo."""
    from ..models.reading import DEFAULT_BOOK_CATEGORIES

    for order, name in enumerate(DEFAULT_BOOK_CATEGORIES):
        BookCategory.objects.get_or_create(name=name, defaults={"order": order})


# --- recommendations and posters ------------------------------------------------------------


def _queue_render(pk: int) -> None:
    from ..tasks.reading import render_posters_task

    # After commit, through the outbox: a broker that is down must not undo or hide the committed
    # recommendation (the catch-up task in BEAT_SCHEDULE also draws what is still pending).
    enqueue(render_posters_task, pk)


def _rerender(recommendations: models.QuerySet[BookRecommendation]) -> None:
    pks = list(recommendations.values_list("pk", flat=True))
    if not pks:
        return
    BookRecommendation.objects.filter(pk__in=pks).update(
        revision=F("revision") + 1, poster_status=BookRecommendation.PosterStatus.PENDING, updated_at=timezone.now()
    )
    for pk in pks:
        _queue_render(pk)


@transaction.atomic
def recommendation_create(
    *, recommender: Member, campaign: ReadingCampaign, book: Book, text: str, recommender_title: str = ""
) -> BookRecommendation:
    if not campaign.is_open:
        raise ValidationError(_("This campaign is closed."), code="closed")
    if BookRecommendation.objects.filter(campaign=campaign, book=book, recommender=recommender).exists():
        raise ValidationError({"book": _("You have already recommended this book in this campaign.")}, code="duplicate")
    recommendation = BookRecommendation.objects.create(
        campaign=campaign,
        book=book,
        recommender=recommender,
        text=text.strip(),
        recommender_title=recommender_title.strip(),
    )
    audit(actor=recommender.user, action="reading.recommendation_created", target=recommendation)
    _queue_render(recommendation.pk)
    return recommendation


@transaction.atomic
def recommendation_update(
    *, actor: Member, recommendation: BookRecommendation, book: Book, text: str, recommender_title: str = ""
) -> BookRecommendation:
    if (
        book.pk != recommendation.book_id
        and BookRecommendation.objects.filter(
            campaign_id=recommendation.campaign_id, book=book, recommender_id=recommendation.recommender_id
        ).exists()
    ):
        raise ValidationError({"book": _("You have already recommended this book in this campaign.")}, code="duplicate")
    changed = (book.pk, text.strip(), recommender_title.strip()) != (
        recommendation.book_id,
        recommendation.text,
        recommendation.recommender_title,
    )
    if changed:
        recommendation.book = book
        recommendation.text = text.strip()
        recommendation.recommender_title = recommender_title.strip()
        recommendation.revision = F("revision") + 1
        recommendation.poster_status = BookRecommendation.PosterStatus.PENDING
        recommendation.save()
        recommendation.refresh_from_db()
        audit(actor=actor.user, action="reading.recommendation_updated", target=recommendation)
        _queue_render(recommendation.pk)
    return recommendation


@transaction.atomic
def recommendation_delete(*, actor: Member, recommendation: BookRecommendation) -> None:
    files = [recommendation.poster_landscape, recommendation.poster_portrait]
    audit(actor=actor.user, action="reading.recommendation_deleted", target=recommendation)
    recommendation.delete()
    names = [(f.storage, f.name) for f in files if f]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


def recommendation_retry_posters(*, recommendation: BookRecommendation) -> None:
    """Queue drawing again (after a failure, e.g. a font installed since)."""
    BookRecommendation.objects.filter(pk=recommendation.pk).update(
        revision=F("revision") + 1,
        poster_status=BookRecommendation.PosterStatus.PENDING,
        poster_error="",
        updated_at=timezone.now(),
    )
    _queue_render(recommendation.pk)


def poster_content(recommendation: BookRecommendation) -> reading_posters.PosterContent:
    book = recommendation.book
    cover = None
    if book.cover:
        try:
            with book.cover.open("rb") as handle:
                cover = handle.read()
        except OSError:
            cover = None
    return reading_posters.PosterContent(
        title=book.title,
        author=book.author,
        text=recommendation.text,
        recommender=recommendation.recommender.name,
        recommender_title=recommendation.shown_title,
        court=recommendation.campaign.court.name,
        campaign=recommendation.campaign.title,
        cover=cover,
    )


def recommendation_render_posters(*, recommendation_id: int) -> bool:
    """Draw both posters for the recommendation's current revision. Safe to run twice: a revision
    already drawn is skipped, and only the run whose conditional UPDATE claims the revision keeps
    its files."""
    recommendation = (
        BookRecommendation.objects.select_related("book", "recommender", "campaign", "campaign__court")
        .filter(pk=recommendation_id)
        .first()
    )
    if recommendation is None:
        return False
    revision = recommendation.revision
    if recommendation.poster_revision == revision and recommendation.posters_ready:
        return False
    current = BookRecommendation.objects.filter(pk=recommendation.pk, revision=revision)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            content = poster_content(recommendation)
            landscape = reading_posters.render_poster(content, reading_posters.LANDSCAPE)
            portrait = reading_posters.render_poster(content, reading_posters.PORTRAIT)
    except reading_posters.PosterFontMissing as exc:
        log.error("posters for recommendation %s: %s", recommendation.pk, exc)
        current.update(poster_status=BookRecommendation.PosterStatus.FAILED, poster_error=str(exc)[:300])
        return False
    storage = recommendation.poster_landscape.storage
    base = f"reading/posters/recommendation-{recommendation.pk}-r{revision}"
    names = [
        storage.save(f"{base}-1920x1080.png", ContentFile(landscape)),
        storage.save(f"{base}-1080x1920.png", ContentFile(portrait)),
    ]
    claimed = current.exclude(poster_revision=revision, poster_status=BookRecommendation.PosterStatus.READY).update(
        poster_landscape=names[0],
        poster_portrait=names[1],
        poster_revision=revision,
        poster_status=BookRecommendation.PosterStatus.READY,
        poster_error="",
    )
    if not claimed:  # edited meanwhile, or another run finished first: its files stand
        for name in names:
            storage.delete(name)
        return False
    for old in (recommendation.poster_landscape, recommendation.poster_portrait):
        if old and old.name not in names:
            storage.delete(old.name)
    return True


# --- plans ----------------------------------------------------------------------------------


@transaction.atomic
def reading_plan_add_item(
    *, member: Member, campaign: ReadingCampaign, book: Book, target_month: dt.date
) -> ReadingPlanItem:
    if not campaign.is_open or campaign.status != ReadingCampaign.Status.ACTIVE:
        raise ValidationError(_("Plans can be changed only while the campaign is active."), code="closed")
    target_month = month_start(target_month)
    if target_month not in campaign.months():
        raise ValidationError(
            {
                "target_month": _("Choose a month within the campaign (%(start)s to %(end)s).")
                % {"start": f"{campaign.starts_on:%Y-%m}", "end": f"{campaign.ends_on:%Y-%m}"}
            },
            code="month",
        )
    plan, _created = ReadingPlan.objects.get_or_create(member=member, campaign=campaign)
    if plan.items.filter(book=book).exists():
        raise ValidationError({"book": _("This book is already in your plan.")}, code="duplicate")
    item = ReadingPlanItem.objects.create(plan=plan, book=book, target_month=target_month)
    plan.save(update_fields=["updated_at"])
    return item


@transaction.atomic
def reading_plan_remove_item(*, member: Member, item: ReadingPlanItem) -> None:
    if item.plan.member_id != member.pk:
        raise PermissionDenied
    if item.plan.campaign.status != ReadingCampaign.Status.ACTIVE:
        raise ValidationError(_("Plans can be changed only while the campaign is active."), code="closed")
    item.delete()


# --- reading logs ---------------------------------------------------------------------------


def _check_log(
    *, member: Member, day: dt.date, minutes: int | None, pages: int | None, today: dt.date, exclude_pk=None
):
    if day > today:
        raise ValidationError({"day": _("The date cannot be in the future.")}, code="future")
    if not (minutes or pages):
        raise ValidationError(_("Enter the minutes you read or the pages you read."), code="empty")
    if minutes:
        # Lock the member's row so two logs for the same day cannot both slip under the limit.
        Member.objects.select_for_update().filter(pk=member.pk).first()
        logged = (
            ReadingLog.objects.filter(member=member, day=day)
            .exclude(pk=exclude_pk)
            .aggregate(total=Sum("minutes", default=0))["total"]
        )
        if logged + minutes > MAX_MINUTES_PER_DAY:
            raise ValidationError(
                {
                    "minutes": _(
                        "With this entry you would have %(total)s minutes of reading on %(day)s, more than 16 hours: "
                        "please check the minutes (already logged that day: %(logged)s)."
                    )
                    % {"total": logged + minutes, "day": day.isoformat(), "logged": logged}
                },
                code="too_many_minutes",
            )


@transaction.atomic
def reading_log_create(
    *,
    member: Member,
    book: Book,
    day: dt.date,
    today: dt.date,
    minutes: int | None = None,
    pages: int | None = None,
    finished: bool = False,
    note: str = "",
) -> ReadingLog:
    _check_log(member=member, day=day, minutes=minutes, pages=pages, today=today)
    return ReadingLog.objects.create(
        member=member,
        book=book,
        day=day,
        minutes=minutes or None,
        pages=pages or None,
        finished=finished,
        note=note.strip(),
    )


@transaction.atomic
def reading_log_update(
    *,
    log: ReadingLog,
    book: Book,
    day: dt.date,
    today: dt.date,
    minutes: int | None = None,
    pages: int | None = None,
    finished: bool = False,
    note: str = "",
) -> ReadingLog:
    _check_log(member=log.member, day=day, minutes=minutes, pages=pages, today=today, exclude_pk=log.pk)
    log.book, log.day, log.minutes, log.pages = book, day, minutes or None, pages or None
    log.finished, log.note = finished, note.strip()
    log.save()
    return log


@transaction.atomic
def reading_log_delete(*, log: ReadingLog) -> None:
    log.delete()


# --- reflections ----------------------------------------------------------------------------


def _check_reflection_links(book: Book | None, campaign: ReadingCampaign | None) -> None:
    if book is None and campaign is None:
        raise ValidationError(_("Link the reflection to a book, a campaign, or both."), code="unlinked")


@transaction.atomic
def reflection_create(
    *,
    author: Member,
    title: str,
    body: str,
    now: dt.datetime,
    book: Book | None = None,
    campaign: ReadingCampaign | None = None,
    attachment: ContentFile | None = None,
    submit: bool = False,
) -> Reflection:
    _check_reflection_links(book, campaign)
    reflection = Reflection(
        author=author, title=title.strip(), book=book, campaign=campaign, body=body, body_html=render_markdown(body)
    )
    _set_file(reflection, "attachment", attachment, "attachment_name")
    reflection.save()
    if submit:
        reflection_submit(reflection=reflection, now=now)
    return reflection


@transaction.atomic
def reflection_update(
    *,
    reflection: Reflection,
    title: str,
    body: str,
    now: dt.datetime,
    book: Book | None = None,
    campaign: ReadingCampaign | None = None,
    attachment: ContentFile | bool | None = None,
    submit: bool = False,
) -> Reflection:
    if not reflection.is_editable:
        raise ValidationError(_("A submitted reflection can no longer be edited."), code="locked")
    _check_reflection_links(book, campaign)
    reflection.title, reflection.body, reflection.book, reflection.campaign = title.strip(), body, book, campaign
    reflection.body_html = render_markdown(body)
    _set_file(reflection, "attachment", attachment, "attachment_name")
    reflection.save()
    if submit:
        reflection_submit(reflection=reflection, now=now)
    return reflection


@transaction.atomic
def reflection_submit(*, reflection: Reflection, now: dt.datetime) -> Reflection:
    updated = Reflection.objects.filter(
        pk=reflection.pk, status__in=[Reflection.Status.DRAFT, Reflection.Status.RETURNED]
    ).update(status=Reflection.Status.SUBMITTED, submitted_at=now, updated_at=now)
    if not updated:
        raise ValidationError(_("This reflection has already been submitted."), code="submitted")
    reflection.refresh_from_db()
    audit(actor=reflection.author.user, action="reading.reflection_submitted", target=reflection)
    originality_queue(kind=TextKind.REFLECTION, object_id=reflection.pk, court=reflection.author.court)
    return reflection


def _review(*, reviewer: Member, reflection: Reflection, allowed_from: list[str], now: dt.datetime, **changes) -> None:
    updated = Reflection.objects.filter(pk=reflection.pk, status__in=allowed_from).update(
        reviewed_by=reviewer, updated_at=now, **changes
    )
    if not updated:
        raise ValidationError(_("This reflection is not waiting for this decision; reload the page."), code="stale")
    reflection.refresh_from_db()


@transaction.atomic
def reflection_feature(*, reviewer: Member, reflection: Reflection, now: dt.datetime) -> Reflection:
    """精选: the reflection shows on the court's 优秀心得 page; the author is told."""
    _review(
        reviewer=reviewer,
        reflection=reflection,
        allowed_from=[Reflection.Status.SUBMITTED],
        now=now,
        status=Reflection.Status.FEATURED,
        featured_at=now,
        review_comment="",
    )
    audit(actor=reviewer.user, action="reading.reflection_featured", target=reflection)
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Your reflection “%(title)s” has been featured among the excellent reflections.") % {
            "title": in_quotes(reflection.title)
        }
    notify(recipient=reflection.author, kind="reading.reflection", text=text, url=reflection.get_absolute_url())
    return reflection


@transaction.atomic
def reflection_return(*, reviewer: Member, reflection: Reflection, comment: str, now: dt.datetime) -> Reflection:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what to revise when returning a reflection.")}, code="no_comment")
    _review(
        reviewer=reviewer,
        reflection=reflection,
        allowed_from=[Reflection.Status.SUBMITTED, Reflection.Status.FEATURED],
        now=now,
        status=Reflection.Status.RETURNED,
        featured_at=None,
        review_comment=comment[:2000],
    )
    audit(actor=reviewer.user, action="reading.reflection_returned", target=reflection)
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Your reflection “%(title)s” was returned for revision: %(comment)s") % {
            "title": in_quotes(reflection.title),
            "comment": comment[:80],
        }
    notify(recipient=reflection.author, kind="reading.reflection", text=text, url=reflection.get_absolute_url())
    return reflection


@transaction.atomic
def reflection_unfeature(*, reviewer: Member, reflection: Reflection, now: dt.datetime) -> Reflection:
    _review(
        reviewer=reviewer,
        reflection=reflection,
        allowed_from=[Reflection.Status.FEATURED],
        now=now,
        status=Reflection.Status.SUBMITTED,
        featured_at=None,
    )
    audit(actor=reviewer.user, action="reading.reflection_unfeatured", target=reflection)
    return reflection


@transaction.atomic
def reflection_delete(*, reflection: Reflection) -> None:
    if reflection.status != Reflection.Status.DRAFT:
        raise ValidationError(_("Only drafts can be deleted."), code="not_draft")
    if reflection.attachment:
        name, storage = reflection.attachment.name, reflection.attachment.storage
        transaction.on_commit(lambda: storage.delete(name))
    reflection.delete()


# --- partners and donations -----------------------------------------------------------------

PARTNER_FIELDS = ("name", "kind", "contact", "phone", "address", "note")


def _unique_partner_name(court: Court, name: str, exclude_pk: int | None = None) -> None:
    if PartnerOrganization.objects.filter(court=court, name=name).exclude(pk=exclude_pk).exists():
        raise ValidationError({"name": _("This court already has a partner of this name.")}, code="duplicate")


@transaction.atomic
def partner_create(*, actor: Member, court: Court, **fields: Any) -> PartnerOrganization:
    _unique_partner_name(court, fields.get("name", ""))
    partner = PartnerOrganization.objects.create(court=court, **{k: fields[k] for k in PARTNER_FIELDS if k in fields})
    audit(actor=actor.user, action="reading.partner_created", target=partner)
    return partner


@transaction.atomic
def partner_update(*, actor: Member, partner: PartnerOrganization, **fields: Any) -> PartnerOrganization:
    _unique_partner_name(partner.court, fields.get("name", partner.name), partner.pk)
    for key in PARTNER_FIELDS:
        if key in fields:
            setattr(partner, key, fields[key])
    partner.save()
    audit(actor=actor.user, action="reading.partner_updated", target=partner)
    return partner


@transaction.atomic
def donation_create(
    *,
    actor: Member,
    court: Court,
    partner: PartnerOrganization,
    day: dt.date,
    items: list[tuple[str, int]],
    today: dt.date,
    campaign: ReadingCampaign | None = None,
    receipt: ContentFile | None = None,
    note: str = "",
) -> Donation:
    if partner.court_id != court.pk or (campaign is not None and campaign.court_id != court.pk):
        raise PermissionDenied
    if day > today:
        raise ValidationError({"day": _("The date cannot be in the future.")}, code="future")
    items = [(title.strip(), count) for title, count in items if title and title.strip() and count]
    if not items:
        raise ValidationError(_("List at least one title with the number of copies."), code="no_items")
    donation = Donation(court=court, partner=partner, campaign=campaign, day=day, note=note.strip(), created_by=actor)
    _set_file(donation, "receipt", receipt)
    donation.save()
    DonationItem.objects.bulk_create([DonationItem(donation=donation, title=t, count=c) for t, c in items])
    audit(
        actor=actor.user,
        action="reading.donation_created",
        target=donation,
        partner=partner.name,
        copies=sum(c for _t, c in items),
    )
    return donation
