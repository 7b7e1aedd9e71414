from django import template
from django.contrib.contenttypes.models import ContentType

from ..forms.comments import CommentForm
from ..models import Comment
from ..services.comments import can_comment

register = template.Library()


@register.inclusion_tag("activities/comments/_thread.html", takes_context=True)
def comment_thread(context, target):
    """The comments on a target and, for leaders and organizers, the form to add one."""
    request = context["request"]
    return {
        "comments": Comment.objects.for_target(target),
        "can_comment": can_comment(request.user, target),
        "form": CommentForm(),
        "content_type_id": ContentType.objects.get_for_model(target).pk,
        "target": target,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
