from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse

from .access import current_member


class PasswordChangeRequiredMiddleware:
    """A member with an initial password must change it before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        member = current_member(getattr(request, "user", None))
        if member is not None and member.must_change_password:
            allowed = {reverse("password_change"), reverse("logout"), reverse("set_language")}
            if request.path not in allowed and not request.path.startswith(("/static/", "/healthz")):
                return redirect(f"{reverse('password_change')}?first=1")
        return self.get_response(request)
