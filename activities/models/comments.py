"""Leader and organizer comments (点评) on any member's work.

A model opts in with `commentable = True`, a manager with `visible_to(user)`, and a
`comment_owner` property naming the member whose work it is.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Member

__all__ = ["Comment"]


class CommentQuerySet(models.QuerySet):
    def for_target(self, target: models.Model) -> CommentQuerySet:
        return self.filter(content_type=ContentType.objects.get_for_model(target), object_id=target.pk).select_related(
            "author"
        )

    def about_member(self, member: Member) -> CommentQuerySet:
        return self.filter(owner=member).select_related("author", "content_type")


class Comment(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("content type"))
    object_id = models.PositiveBigIntegerField(verbose_name=_("object id"))
    target = GenericForeignKey("content_type", "object_id")
    # Whose work it is: the learning profile lists comments without resolving targets.
    owner = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="comments_received", verbose_name=_("owner")
    )
    author = models.ForeignKey(
        Member,
        verbose_name=pgettext_lazy("comment", "author"),
        on_delete=models.CASCADE,
        related_name="comments_written",
    )
    text = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.text[:40]
