"""Accounts, notifications and organization pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .access import current_member, visible_courts
from .models import Member, Notification
from .services import audit, notification_mark_read

PAGE_SIZE = 25


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    member = current_member(request.user)
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        if member is not None and member.must_change_password:
            member.must_change_password = False
            member.save(update_fields=["must_change_password", "updated_at"])
        audit(actor=user, action="auth.password_changed", target=user)
        messages.success(request, _("Your password has been changed."))
        return redirect("home")
    first = member is not None and member.must_change_password
    return render(request, "registration/password_change.html", {"form": form, "first_login": first})


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    member = current_member(request.user)
    notifications = Notification.objects.filter(recipient=member) if member else Notification.objects.none()
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "members/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    member = current_member(request.user)
    notification = get_object_or_404(Notification.objects.filter(recipient=member), pk=pk)
    notification_mark_read(member=member, pk=notification.pk, now=timezone.now())
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("members:notification_list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    member = current_member(request.user)
    if member is not None:
        notification_mark_read(member=member, now=timezone.now())
    return redirect("members:notification_list")


@login_required
def court_detail(request: HttpRequest, pk: int) -> HttpResponse:
    court = get_object_or_404(visible_courts(request.user), pk=pk)
    context = {
        "court": court,
        "departments": court.departments.annotate(n_members=Count("members")),
        "branches": court.party_branches.select_related("secretary").annotate(n_members=Count("members")),
        "study_groups": court.study_groups.filter(parent__isnull=True).annotate(
            n_members=Count("memberships"), n_squads=Count("squads", distinct=True)
        ),
        "child_courts": court.children.filter(pk__in=visible_courts(request.user)),
    }
    return render(request, "members/court_detail.html", context)


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    members = (
        Member.objects.visible_to(request.user)
        .select_related("court", "department")
        .search(request.GET.get("q", ""))
        .order_by("court__code", "department__name", "name")
    )
    court_id = request.GET.get("court")
    if court_id and court_id.isdigit():
        members = members.filter(court_id=int(court_id))
    department_id = request.GET.get("department")
    if department_id and department_id.isdigit():
        members = members.filter(department_id=int(department_id))
    if request.GET.get("inactive") != "1":
        members = members.active()
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "members/member_list.html",
        {"page": page, "q": request.GET.get("q", ""), "courts": visible_courts(request.user)},
    )


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(
        Member.objects.visible_to(request.user).select_related(
            "court", "department", "party_branch", "party_group", "user"
        ),
        pk=pk,
    )
    groups = member.group_memberships.select_related("group")
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "groups": groups,
            "show_private": request.user.has_perm("members.see_member_private", member),
            "can_manage": request.user.has_perm("members.manage_member", member),
        },
    )


def my_court_redirect(request: HttpRequest) -> HttpResponse:
    member = current_member(request.user)
    if member is None:
        first = visible_courts(request.user).first()
        if first is None:
            return redirect("home")
        return redirect(first)
    return redirect(member.court)
