"""Comments (点评): who may comment, and writing one."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from members.access import is_leader_of, is_organizer_of
from members.models import Member
from members.services import audit, notify

from ..models import Comment


def can_comment(user, target: models.Model) -> bool:
    """Leaders (of the court or above) and organizers of the owner's court comment.

    A target may let more people comment with `allows_comment_from(user)` (e.g. the
    department head on a monthly plan).
    """
    owner: Member | None = target.comment_owner
    if owner is None:
        return False
    extra = getattr(target, "allows_comment_from", None)
    if extra is not None and extra(user):
        return True
    return is_leader_of(user, owner.court_id) or is_organizer_of(user, owner.court_id)


@transaction.atomic
def comment_create(*, author: Member, target: models.Model, text: str) -> Comment:
    owner: Member = target.comment_owner
    comment = Comment.objects.create(target=target, owner=owner, author=author, text=text.strip())
    audit(actor=author.user, action="comment.created", target=comment, on=target._meta.label_lower)
    if owner.pk != author.pk:
        url = target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""
        # Stored text: in the court's language, not in whatever language the commenter browses in.
        with translation.override(settings.LANGUAGE_CODE):
            text = _("%(author)s commented on your %(what)s: %(text)s") % {
                "author": author.name,
                "what": target._meta.verbose_name,
                "text": comment.text[:60],
            }
        notify(recipient=owner, kind="comment", text=text, url=url)
    return comment
