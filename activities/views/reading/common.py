"""Small helpers shared by the reading views."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.paginator import Page, Paginator
from django.forms import Form
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from members.access import current_member
from members.models import Member

PAGE_SIZE = 20


def require_member(request: HttpRequest) -> Member:
    """The logged-in member; accounts without a member record may only read."""
    member = current_member(request.user)
    if member is None or not member.is_active:
        raise PermissionDenied
    return member


def paginate(request: HttpRequest, queryset, size: int = PAGE_SIZE) -> Page:
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def add_service_errors(form: Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form (field errors where the field exists)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def upload_change(value):
    """A file field's cleaned value as the services want it: a new file, False (clear) or None (keep)."""
    if value is False or isinstance(value, ContentFile):
        return value
    return None


def get_id(request: HttpRequest, name: str) -> int | None:
    value = (request.GET.get(name) or "").strip()
    return int(value) if value.isdigit() and len(value) < 12 else None
