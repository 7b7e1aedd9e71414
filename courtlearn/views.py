"""Project-level pages: home dispatch, my learning, health check, error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.cache import never_cache

from members.access import current_member, is_court_wide_organizer, organizer_required
from members.models import Member


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on its own page: 我的学习, 管理 or 看板; a site admin on the courts' set-up.

    An organizer of a court without its people yet (only the organizers and leaders the site admin
    named) lands on 导入花名册: nothing else works before the roster is in.
    """
    if request.user.is_superuser:
        return redirect("members:setup_courts")
    member = current_member(request.user)
    if member is None:
        return redirect("admin:index") if request.user.is_staff else render(request, "home/no_member.html")
    if member.is_organizer:
        if is_court_wide_organizer(request.user, member.court) and not has_people(member.court):
            return redirect("members:roster_import")
        return redirect("manage")
    if member.is_leader:
        return redirect("reports:dashboard")
    return redirect("my_learning")


def has_people(court) -> bool:
    return Member.objects.filter(court=court, role=Member.Role.MEMBER, is_active=True).exists()


@login_required
def my_learning(request: HttpRequest) -> HttpResponse:
    """我的学习: each activity family adds its panel through templates/home/_panels_member.html."""
    return render(request, "home/my_learning.html")


@login_required
@organizer_required
def manage(request: HttpRequest) -> HttpResponse:
    """管理: the organizer's start page; families add panels in templates/home/_panels_organizer.html."""
    return render(request, "home/manage.html")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker status for load balancers: 200 when healthy, 503 otherwise."""
    status = {"database": "ok", "broker": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        status["database"] = f"error: {exc.__class__.__name__}"
    status["broker"] = broker_status()
    healthy = all(value in {"ok", "in-process"} for value in status.values())
    return JsonResponse({"status": "ok" if healthy else "error", **status}, status=200 if healthy else 503)


def broker_status() -> str:
    from django.conf import settings

    if not settings.REDIS_URL:
        return "in-process"
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
        client.ping()
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"
    return "ok"


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No request context: the context processors read the session, the user and the member,
    # and the error may be that the database (or anything else they touch) is failing.
    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)
