"""Unlocking logins: an organizer unlocks a member's account, a site admin unlocks an address."""

from __future__ import annotations

import ipaddress

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .access import site_admin_required
from .throttle import account_login_unlock, address_login_unlock, cool_off, locked_accounts, locked_addresses
from .views import _managed_member


@login_required
@require_POST
def member_login_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    member = _managed_member(request, pk)
    account_login_unlock(actor=request.user, member=member)
    messages.success(request, _("The account is unlocked: the member can log in again."))
    return redirect(member)


@login_required
@site_admin_required
def login_locks(request: HttpRequest) -> HttpResponse:
    """Addresses and accounts locked now, for the site admin."""
    now = timezone.now()
    return render(
        request,
        "members/login_locks.html",
        {
            "addresses": locked_addresses(now=now),
            "accounts": locked_accounts(now=now),
            "minutes": int(cool_off().total_seconds() // 60),
        },
    )


@login_required
@site_admin_required
@require_POST
def login_unlock_address(request: HttpRequest) -> HttpResponse:
    try:
        ip = str(ipaddress.ip_address(request.POST.get("ip", "").strip()))
    except ValueError:
        raise Http404 from None
    address_login_unlock(actor=request.user, ip=ip)
    messages.success(request, _("The address %(ip)s is unlocked.") % {"ip": ip})
    return redirect("members:login_locks")
