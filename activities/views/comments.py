from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.access import current_member

from ..forms.comments import CommentForm
from ..services.comments import can_comment, comment_create


@login_required
@require_POST
def comment_add(request: HttpRequest, content_type_id: int, object_id: int) -> HttpResponse:
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    if model is None or not getattr(model, "commentable", False):
        raise Http404
    target = get_object_or_404(model.objects.visible_to(request.user), pk=object_id)
    author = current_member(request.user)
    if author is None or not can_comment(request.user, target):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        comment_create(author=author, target=target, text=form.cleaned_data["text"])
        messages.success(request, _("Comment posted."))
    else:
        messages.error(request, _("The comment is empty or too long (2000 characters at most)."))
    return redirect(target.get_absolute_url())
