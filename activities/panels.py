"""我的学习 panels, cached per member.

Each family's panel is an inclusion-tag-like template tag; `cached_member_panel` stores its
HTML in the cache (and `cached_for_member` other data of the same kind, like the books offered
on the reading-log form) under a key made of what it depends on:

- the member's and the court's `cache_version`, read from the database with the member (see
  members.versions: writes of anything a panel shows raise one of them), so a process never
  serves a panel from before a write it did not handle itself, whatever the cache backend;
- the member fields that decide what they see (court, department, branch, group, role, active);
- the language and time zone the HTML is rendered in;
- a one-minute time bucket: panels show time-dependent things (sessions coming up, sign-in
  windows, open quizzes and votes, report windows, today's campaigns), and a panel is at most
  a minute behind the clock. The timeout only frees memory.

CSRF tokens differ per browser session: the cached HTML holds a placeholder that is replaced by
the request's own token on every render.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django import template
from django.core.cache import caches
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from members.access import current_member
from members.models import Member
from members.templatetags.fragments import CSRF_PLACEHOLDER, with_csrf_token

TIME_BUCKET_SECONDS = 60
TIMEOUT_SECONDS = 2 * TIME_BUCKET_SECONDS


def time_bucket() -> int:
    """The current minute as a number: part of every panel key."""
    return int(timezone.now().timestamp()) // TIME_BUCKET_SECONDS


def panel_key(name: str, member: Member) -> str:
    parts = (
        name,
        member.pk,
        member.cache_version,
        member.court_id,
        member.court.cache_version,
        member.department_id,
        member.party_branch_id,
        member.party_group_id,
        member.role,
        member.is_active,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        time_bucket(),
    )
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return f"panel:{name}:{digest}"


def cached_for_member[T](name: str, member: Member, compute: Callable[[], T]) -> T:
    """`compute()`, cached under the same key parts as the panels (versions, audience, language,
    minute): for data a page shows the member that only the panels' writes change."""
    key = panel_key(name, member)
    value = caches["fragments"].get(key)
    if value is None:
        value = compute()
        caches["fragments"].set(key, value, TIMEOUT_SECONDS)
    return value


def cached_member_panel(register: template.Library, template_name: str) -> Callable:
    """Register `func(context) -> dict` as a tag rendering `template_name`, cached per member.

    Like `@register.inclusion_tag(template_name, takes_context=True)`; without a member the
    panel is rendered every time (it is small then).
    """

    def decorator(func: Callable[[template.Context], dict]) -> Callable:
        @wraps(func)
        def tag(context: template.Context) -> SafeString:
            member = current_member(context["request"].user)
            key = panel_key(func.__name__, member) if member is not None else None
            html = caches["fragments"].get(key) if key else None
            if html is None:
                data = func(context)
                data["csrf_token"] = CSRF_PLACEHOLDER
                html = context.template.engine.get_template(template_name).render(context.new(data))
                if key:
                    caches["fragments"].set(key, str(html), TIMEOUT_SECONDS)
            return with_csrf_token(html, context)

        register.simple_tag(tag, takes_context=True, name=func.__name__)
        return func

    return decorator
