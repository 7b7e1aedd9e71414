"""Accounts, notifications and organization pages."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from courtlearn import xlsx

from . import roster
from .access import (
    current_member,
    group_people,
    is_court_wide_organizer,
    managed_courts,
    managed_members,
    organizer_required,
    readable_members,
    visible_courts,
)
from .forms import (
    AuditFilterForm,
    BranchForm,
    CourtOriginalityForm,
    DepartmentForm,
    GroupMembersForm,
    GroupRoleForm,
    MemberForm,
    RoleForm,
    RosterConfirmForm,
    RosterUnitsForm,
    RosterUploadForm,
    RosterValuesForm,
    StudyGroupForm,
    action_label,
)
from .models import (
    AuditEvent,
    Court,
    Department,
    ImportBatch,
    Member,
    Notification,
    PartyBranch,
    StudyGroup,
    StudyGroupMembership,
    unit_ordering,
)
from .selection import select_many
from .services import (
    RosterImportRefused,
    UnitChangeRefused,
    audit,
    branch_create,
    branch_delete,
    branch_update,
    court_originality_set,
    department_create,
    department_delete,
    department_move,
    department_update,
    member_reset_password,
    member_set_active,
    member_set_role,
    member_update,
    notification_mark_read,
    roster_batch_choose_units,
    roster_batch_create,
    roster_import_apply,
    roster_values_map,
    study_group_add_members,
    study_group_create,
    study_group_delete,
    study_group_remove_member,
    study_group_set_role,
    study_group_update,
)
from .throttle import account_is_locked

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
    # Counts make these GROUP BY queries, which Django leaves without Meta.ordering: order them here.
    context = {
        "court": court,
        "departments": court.departments.select_related("head")
        .annotate(n_members=Count("members", filter=Q(members__is_active=True)))
        .order_by(*unit_ordering(department=True)),
        "branches": court.party_branches.select_related("secretary")
        .annotate(n_members=Count("members", filter=Q(members__is_active=True)))
        .order_by(*unit_ordering())
        .prefetch_related("groups"),
        "study_groups": court.study_groups.filter(parent__isnull=True)
        .annotate(n_members=Count("memberships", distinct=True), n_squads=Count("squads", distinct=True))
        .order_by(*unit_ordering()),
        "child_courts": court.children.filter(pk__in=visible_courts(request.user)),
        "can_manage": is_court_wide_organizer(request.user, court),
    }
    return render(request, "members/court_detail.html", context)


@login_required
def department_detail(request: HttpRequest, pk: int) -> HttpResponse:
    department = get_object_or_404(
        Department.objects.filter(court__in=visible_courts(request.user)).select_related("court", "head"), pk=pk
    )
    members = department.members.active().select_related("party_branch").order_by("name")
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    can_manage = is_court_wide_organizer(request.user, department.court)
    return render(
        request, "members/department_detail.html", {"department": department, "page": page, "can_manage": can_manage}
    )


@login_required
def branch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    branch = get_object_or_404(
        PartyBranch.objects.filter(court__in=visible_courts(request.user)).select_related("court", "secretary"), pk=pk
    )
    members = (
        branch.members.active()
        .select_related("department", "party_group")
        .order_by(*unit_ordering("party_group__"), "name")
    )
    groups = branch.groups.annotate(n_members=Count("members", filter=Q(members__is_active=True))).order_by(
        *unit_ordering()
    )
    page = Paginator(members, PAGE_SIZE * 2).get_page(request.GET.get("page"))
    can_manage = is_court_wide_organizer(request.user, branch.court)
    return render(
        request,
        "members/branch_detail.html",
        {"branch": branch, "groups": groups, "page": page, "can_manage": can_manage},
    )


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A study group: its squads (学习小队) with their leaders, and its memberships."""
    group = get_object_or_404(
        StudyGroup.objects.visible_to(request.user).select_related("court", "parent__court"), pk=pk
    )
    # In a group open to the courts below, a court below reads its own people only (None: everyone).
    people = group_people(request.user, group)
    leaders = StudyGroupMembership.objects.filter(role=StudyGroupMembership.Role.LEADER).select_related("member")
    if people is not None:
        leaders = leaders.filter(member__in=people)
    squads = (
        group.squads.annotate(n_members=Count("memberships"))
        .order_by(*unit_ordering())  # 第一小队, 第二小队 … (a GROUP BY query: no Meta.ordering)
        .prefetch_related(Prefetch("memberships", queryset=leaders, to_attr="leader_memberships"))
    )
    can_manage = is_court_wide_organizer(request.user, group.court)
    # Leaders first: "leader" sorts before "member".
    memberships = group.memberships.select_related("member__department", "member__court").order_by(
        "role", "member__name"
    )
    if not can_manage:  # organizers see inactive members too, to take them out of the group
        memberships = memberships.filter(member__is_active=True)
    if people is not None:
        memberships = memberships.filter(member__in=people)
    page = Paginator(memberships, PAGE_SIZE * 2).get_page(request.GET.get("page"))
    readable = set(visible_courts(request.user).values_list("pk", flat=True))
    return render(
        request,
        "members/group_detail.html",
        {
            "group": group,
            "squads": squads,
            "page": page,
            "can_manage": can_manage,
            "spans": group.top.spans_courts_below,
            "own_people_only": people is not None,
            "readable_courts": readable,
        },
    )


# --- the court's units, managed by an organizer of the whole court -------------------------------


def _managed_court(request: HttpRequest, pk: int) -> Court:
    """A court whose units the user manages: 404 outside what they can see, 403 when seen but not theirs."""
    court = get_object_or_404(visible_courts(request.user), pk=pk)
    if not request.user.has_perm("members.manage_court", court):
        raise PermissionDenied
    return court


def _managed_unit(request: HttpRequest, model: type[Department | PartyBranch | StudyGroup], pk: int):
    """A department, branch or study group whose court the user manages (404 / 403 as for courts)."""
    if model is StudyGroup:  # a group of a court above open to the user's court is seen: 403, not 404
        seen = StudyGroup.objects.visible_to(request.user)
    else:
        seen = model.objects.filter(court__in=visible_courts(request.user))
    unit = get_object_or_404(seen.select_related("court"), pk=pk)
    if not request.user.has_perm("members.manage_court", unit.court):
        raise PermissionDenied
    return unit


def _refused(form, exc: UnitChangeRefused) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


UNIT_DELETE_URLS = {
    Department: "members:department_delete",
    PartyBranch: "members:branch_delete",
    StudyGroup: "members:group_delete",
}


def _unit_form(request: HttpRequest, form, save, saved: str, *, court: Court, title: str, unit=None) -> HttpResponse:
    """A unit's create or edit page: on a valid POST `save(**cleaned_data)` and go to the unit it
    returns, with the message `saved` (which may name it: %(name)s); else the form and its errors."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(**form.cleaned_data)
        except UnitChangeRefused as exc:
            _refused(form, exc)
        else:
            messages.success(request, saved % {"name": result.name})
            return redirect(result)
    context = {
        "form": form,
        "court": court,
        "title": title,
        "unit": unit,
        "delete_url": UNIT_DELETE_URLS.get(type(unit)),
    }
    return render(request, "members/unit_form.html", context)


def _unit_delete(request: HttpRequest, unit, delete, deleted: str, then) -> HttpResponse:
    """Delete a unit with `delete()`; a refusal (still in use) goes back to the unit with the reason."""
    try:
        delete()
    except UnitChangeRefused as exc:
        messages.error(request, exc.message)
        return redirect(unit)
    messages.success(request, deleted % {"name": unit.name})
    return redirect(then)


@login_required
def court_originality(request: HttpRequest, pk: int) -> HttpResponse:
    """原创性检查: an organizer of the whole court turns the check on or off and sets its threshold."""
    court = _managed_court(request, pk)
    form = CourtOriginalityForm(request.POST or None, instance=court)
    if request.method == "POST" and form.is_valid():
        court_originality_set(
            actor=request.user,
            court=court,
            enabled=form.cleaned_data["originality_check"],
            threshold=form.cleaned_data["originality_threshold"],
        )
        messages.success(request, _("The originality check settings have been saved."))
        return redirect(court)
    return render(request, "members/court_originality.html", {"court": court, "form": form})


@login_required
def department_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    court = _managed_court(request, pk)
    form = DepartmentForm(request.POST or None, court=court)
    save = partial(department_create, actor=request.user, court=court)
    return _unit_form(
        request, form, save, _("The department %(name)s has been created."), court=court, title=_("New department")
    )


@login_required
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    department = _managed_unit(request, Department, pk)
    initial = {"name": department.name, "head": department.head_id}
    form = DepartmentForm(request.POST or None, initial=initial, court=department.court)
    save = partial(department_update, actor=request.user, department=department)
    return _unit_form(
        request,
        form,
        save,
        _("The department has been saved."),
        court=department.court,
        title=_("Edit department"),
        unit=department,
    )


@login_required
@require_POST
def department_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    department = _managed_unit(request, Department, pk)
    delete = partial(department_delete, actor=request.user, department=department)
    return _unit_delete(request, department, delete, _("The department %(name)s has been deleted."), department.court)


@login_required
@require_POST
def department_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a department one place up or down in the court's own order (the court's page)."""
    department = _managed_unit(request, Department, pk)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction"))
    if offset is not None:  # anything else: nothing to do, back to the list
        department_move(actor=request.user, department=department, offset=offset)
    return redirect(f"{department.court.get_absolute_url()}#departments")


@login_required
def branch_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    court = _managed_court(request, pk)
    form = BranchForm(request.POST or None, court=court)
    save = partial(branch_create, actor=request.user, court=court)
    return _unit_form(
        request, form, save, _("The party branch %(name)s has been created."), court=court, title=_("New party branch")
    )


@login_required
def branch_edit(request: HttpRequest, pk: int) -> HttpResponse:
    branch = _managed_unit(request, PartyBranch, pk)
    initial = {"name": branch.name, "secretary": branch.secretary_id}
    form = BranchForm(request.POST or None, initial=initial, court=branch.court)
    save = partial(branch_update, actor=request.user, branch=branch)
    return _unit_form(
        request,
        form,
        save,
        _("The party branch has been saved."),
        court=branch.court,
        title=_("Edit party branch"),
        unit=branch,
    )


@login_required
@require_POST
def branch_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    branch = _managed_unit(request, PartyBranch, pk)
    delete = partial(branch_delete, actor=request.user, branch=branch)
    return _unit_delete(request, branch, delete, _("The party branch %(name)s has been deleted."), branch.court)


@login_required
def group_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    court = _managed_court(request, pk)
    initial = {}
    parent_id = request.GET.get("parent", "")
    if parent_id.isdigit():  # "add a squad" on a group's page
        initial = {"parent": int(parent_id), "kind": StudyGroup.Kind.SQUAD}
    form = StudyGroupForm(request.POST or None, initial=initial, court=court)
    save = partial(study_group_create, actor=request.user, court=court)
    return _unit_form(
        request, form, save, _("The study group %(name)s has been created."), court=court, title=_("New study group")
    )


@login_required
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = _managed_unit(request, StudyGroup, pk)
    initial = {"name": group.name, "kind": group.kind, "parent": group.parent_id}
    form = StudyGroupForm(request.POST or None, initial=initial, court=group.court, group=group)
    save = partial(study_group_update, actor=request.user, group=group)
    return _unit_form(
        request,
        form,
        save,
        _("The study group has been saved."),
        court=group.court,
        title=_("Edit study group"),
        unit=group,
    )


@login_required
@require_POST
def group_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    group = _managed_unit(request, StudyGroup, pk)
    delete = partial(study_group_delete, actor=request.user, group=group)
    return _unit_delete(
        request, group, delete, _("The study group %(name)s has been deleted."), group.parent or group.court
    )


@login_required
def group_members_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add people to a study group: tick them, take everyone a filter lists, or paste 工号.

    A group open to the courts below (两级法院) takes their people too: the list shows each person's
    court and filters by court; a pasted 工号 that two of those courts share picks nobody."""
    group = _managed_unit(request, StudyGroup, pk)
    form = GroupMembersForm(request.POST or None, group=group)
    candidates = form.people
    spans = group.top.spans_courts_below
    courts = list(group.member_courts().order_by("code")) if spans else []
    court = request.GET.get("court", "")
    chosen_court = int(court) if court.isdigit() and len(court) < 12 and int(court) in {c.pk for c in courts} else None
    if chosen_court:
        candidates = candidates.filter(court_id=chosen_court)
    departments = Department.objects.filter(court_id=chosen_court or group.court_id)  # in the court's own order
    department = request.GET.get("department", "")
    if department.isdigit() and len(department) < 12:
        candidates = candidates.filter(department_id=int(department))
    if request.method == "POST" and form.is_valid():
        selection = select_many(
            form,
            candidates=candidates,
            number_path="employee_number",
            court=group.member_courts() if spans else group.court_id,
        )
        for line in selection.problems:
            messages.warning(request, line)
        if selection.chosen:
            try:
                added = study_group_add_members(actor=request.user, group=group, members=selection.chosen)
            except UnitChangeRefused as exc:
                _refused(form, exc)
            else:
                messages.success(
                    request,
                    ngettext("%(count)d member has been added.", "%(count)d members have been added.", added)
                    % {"count": added},
                )
                return redirect(group)
        elif not selection.problems:
            form.add_error(None, _("Everyone in this list is in the group already."))
    return render(
        request,
        "members/group_members_add.html",
        {
            "group": group,
            "form": form,
            "people": list(candidates),
            "courts": courts,
            "court": court,
            "departments": departments,
            "department": department,
            "select_numbers": request.POST.get("numbers", "") if request.method == "POST" else "",
        },
    )


def _group_membership(request: HttpRequest, pk: int, member_pk: int) -> StudyGroupMembership:
    group = _managed_unit(request, StudyGroup, pk)
    return get_object_or_404(group.memberships.select_related("member", "group"), member_id=member_pk)


@login_required
@require_POST
def group_member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    membership = _group_membership(request, pk, member_pk)
    study_group_remove_member(actor=request.user, group=membership.group, member=membership.member)
    messages.success(request, _("%(name)s has left the group.") % {"name": membership.member.name})
    return redirect("members:group_detail", pk)


@login_required
@require_POST
def group_member_role(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    membership = _group_membership(request, pk, member_pk)
    form = GroupRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role in the group."))
        return redirect("members:group_detail", pk)
    role = form.cleaned_data["role"]
    study_group_set_role(actor=request.user, group=membership.group, member=membership.member, role=role)
    if role == StudyGroupMembership.Role.LEADER:
        messages.success(request, _("%(name)s is now a leader of the group.") % {"name": membership.member.name})
    else:
        messages.success(request, _("%(name)s is no longer a leader of the group.") % {"name": membership.member.name})
    return redirect("members:group_detail", pk)


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    members = (
        Member.objects.visible_to(request.user)
        .select_related("court", "department")
        .search(request.GET.get("q", ""))
        .order_by("court__code", *unit_ordering("department__", department=True), "name")
    )
    filters = {"court": "court_id", "department": "department_id", "branch": "party_branch_id", "group": "study_groups"}
    for param, lookup in filters.items():
        value = request.GET.get(param, "")
        if value.isdigit():
            members = members.filter(**{lookup: int(value)})
    managed = managed_members(request.user)
    show_inactive = request.GET.get("inactive") == "1" and managed.exists()
    # Inactive people are listed only for organizers who ask, and only within their own scope.
    members = members.filter(Q(is_active=True) | Q(pk__in=managed.values("pk"))) if show_inactive else members.active()
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    me = current_member(request.user)
    return render(
        request,
        "members/member_list.html",
        {
            "page": page,
            "q": request.GET.get("q", ""),
            "courts": visible_courts(request.user),
            "show_inactive": show_inactive,
            "is_organizer": request.user.is_superuser or bool(me and me.is_organizer and me.is_active),
            "can_import": managed_courts(request.user).exists(),
        },
    )


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(
        readable_members(request.user).select_related(
            "court", "department", "party_branch", "party_group", "user", "scope_department", "scope_branch"
        ),
        pk=pk,
    )
    groups = member.group_memberships.select_related("group")
    # The organizer of an upper court's group opens the profile of a person of a court below in it
    # (两级法院): their court's units and its other groups stay that court's.
    reads_court = visible_courts(request.user).filter(pk=member.court_id).exists()
    if not reads_court:
        groups = groups.filter(group__in=StudyGroup.objects.visible_to(request.user))
    can_manage = request.user.has_perm("members.manage_member", member)
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "groups": groups,
            "show_private": request.user.has_perm("members.see_member_private", member),
            "can_manage": can_manage,
            "can_set_role": can_manage and is_court_wide_organizer(request.user, member.court),
            "is_me": member.user_id == request.user.pk,
            "reads_court": reads_court,
            "login_locked": can_manage and account_is_locked(member.user.username, now=timezone.now()),
        },
    )


def _managed_member(request: HttpRequest, pk: int) -> Member:
    """A member the user may manage: 404 outside what they can see, 403 when seen but not theirs to manage."""
    member = get_object_or_404(
        Member.objects.visible_to(request.user).select_related("court", "user", "department", "party_branch"), pk=pk
    )
    if not request.user.has_perm("members.manage_member", member):
        raise PermissionDenied
    return member


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = _managed_member(request, pk)
    form = MemberForm(request.POST or None, instance=member, organizer=current_member(request.user))
    if request.method == "POST" and form.is_valid():
        fresh = Member.objects.select_related("party_group").get(pk=member.pk)
        member_update(actor=request.user, member=fresh, changes=form.cleaned_data)
        messages.success(request, _("The member's record has been saved."))
        return redirect(member)
    return render(request, "members/member_form.html", {"member": member, "form": form})


@login_required
def member_role(request: HttpRequest, pk: int) -> HttpResponse:
    member = _managed_member(request, pk)
    if not request.user.has_perm("members.manage_court", member.court):
        raise PermissionDenied
    initial = {"role": member.role, "scope_department": member.scope_department, "scope_branch": member.scope_branch}
    form = RoleForm(request.POST or None, initial=initial, member=member, actor_member=current_member(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            member_set_role(
                actor=request.user,
                member=member,
                role=form.cleaned_data["role"],
                scope_department=form.cleaned_data["scope_department"],
                scope_branch=form.cleaned_data["scope_branch"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The role has been changed."))
            return redirect(member)
    return render(request, "members/member_role.html", {"member": member, "form": form})


@login_required
@require_POST
def member_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    member = _managed_member(request, pk)
    if member.user.is_superuser and not request.user.is_superuser:
        raise PermissionDenied
    password = member_reset_password(actor=request.user, member=member)
    response = render(request, "members/password_slip.html", {"member": member, "password": password})
    add_never_cache_headers(response)  # the password is shown once and never kept
    return response


@login_required
@require_POST
def member_set_active_view(request: HttpRequest, pk: int) -> HttpResponse:
    member = _managed_member(request, pk)
    active = request.POST.get("active") == "1"
    if not active and member.user_id == request.user.pk:
        messages.error(request, _("You cannot deactivate yourself."))
    else:
        member_set_active(actor=request.user, member=member, active=active)
        messages.success(request, _("The member is active again.") if active else _("The member has been deactivated."))
    return redirect(member)


@login_required
def roster_import(request: HttpRequest) -> HttpResponse:
    """Step 1: upload. The file is read and kept as rows; nothing changes until confirmation."""
    courts = managed_courts(request.user)
    if not courts.exists():
        raise PermissionDenied
    form = RosterUploadForm(request.POST or None, request.FILES or None, courts=courts)
    if request.method == "POST" and form.is_valid():
        batch = roster_batch_create(
            actor=request.user,
            court=form.cleaned_data["court"],
            file_name=form.cleaned_data["file"].name,
            parsed=form.parsed,
            now=timezone.now(),
        )
        return redirect(batch)
    recent = ImportBatch.objects.filter(court__in=courts, status=ImportBatch.Status.APPLIED).select_related(
        "created_by__member", "court"
    )[:10]
    return render(request, "members/roster_import.html", {"form": form, "recent": recent})


def _own_batch(request: HttpRequest, token) -> ImportBatch:
    batch = get_object_or_404(ImportBatch.objects.select_related("court"), token=token, created_by=request.user)
    if not is_court_wide_organizer(request.user, batch.court):
        raise PermissionDenied
    return batch


@login_required
def roster_preview(request: HttpRequest, token) -> HttpResponse:
    """Step 2: every row as new / changed / unchanged / error; choose units to create."""
    batch = _own_batch(request, token)
    if not batch.is_pending:
        return render(
            request, "members/roster_done.html", {"batch": batch, "skipped": roster.describe_skipped(batch.result)}
        )
    keep = current_member(request.user)
    preview = roster.build_preview(
        court=batch.court, columns=batch.columns, rows=batch.rows, create_units=batch.create_units, keep=keep
    )
    units_form = RosterUnitsForm(
        request.POST or None, units=preview.unknown_units, initial={"create": batch.create_units}
    )
    values_form = RosterValuesForm(request.POST or None, unknown_values=preview.unknown_values)
    if request.method == "POST" and units_form.is_valid() and values_form.is_valid():
        roster_batch_choose_units(batch=batch, keys=units_form.cleaned_data["create"])
        roster_values_map(actor=request.user, court=batch.court, answers=values_form.answers())
        return redirect(batch)
    show = request.GET.get("show", "")
    rows = [row for row in preview.rows if row.status == show] if show in preview.counts else preview.rows
    ignored = (
        _("These columns are not part of the roster and were ignored: %(columns)s.")
        % {"columns": "、".join(batch.ignored_columns)}
        if batch.ignored_columns
        else ""
    )
    return render(
        request,
        "members/roster_preview.html",
        {
            "batch": batch,
            "preview": preview,
            "rows": rows,
            "show": show,
            "units_form": units_form,
            "values_form": values_form,
            "ignored": ignored,
            "confirm_form": RosterConfirmForm(initial={"skip_errors": preview.has_errors}),
        },
    )


@login_required
@require_POST
def roster_confirm(request: HttpRequest, token) -> HttpResponse:
    """Step 3: apply, then show the new accounts' initial passwords once, for printing."""
    batch = _own_batch(request, token)
    form = RosterConfirmForm(request.POST)
    valid = form.is_valid()
    try:
        result = roster_import_apply(
            batch=batch,
            actor=request.user,
            deactivate_missing=valid and form.cleaned_data["deactivate_missing"],
            skip_errors=valid and form.cleaned_data["skip_errors"],
            now=timezone.now(),
        )
    except RosterImportRefused as exc:
        messages.error(request, str(exc))
        return redirect(batch)
    batch.refresh_from_db()
    response = render(
        request,
        "members/roster_credentials.html",
        {"batch": batch, "result": result, "skipped": roster.describe_skipped(batch.result)},
    )
    add_never_cache_headers(response)  # initial passwords: shown once, never stored in clear
    return response


@login_required
@organizer_required
def roster_template(request: HttpRequest) -> HttpResponse:
    return xlsx.xlsx_response(roster.roster_workbook(), "roster-template.xlsx")


@login_required
@organizer_required
def roster_export(request: HttpRequest) -> HttpResponse:
    """The active members the organizer manages, in the import format."""
    members = (
        managed_members(request.user)
        .active()
        .select_related("court", "department", "party_branch", "party_group")
        .prefetch_related(Prefetch("group_memberships", queryset=StudyGroupMembership.objects.select_related("group")))
        .order_by("court__code", *unit_ordering("department__", department=True), "employee_number")
    )
    court_id = request.GET.get("court", "")
    if court_id.isdigit():
        members = members.filter(court_id=int(court_id))
    members = list(members)
    audit(actor=request.user, action="roster.exported", count=len(members))
    return xlsx.xlsx_response(roster.roster_workbook(members), f"roster-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """The audit trail of the courts the user manages as a whole (organizers not limited to a unit)."""
    courts = managed_courts(request.user)
    if not courts.exists():
        raise PermissionDenied
    events = AuditEvent.objects.filter(court__in=courts).select_related("actor__member", "court")
    actions = list(
        AuditEvent.objects.filter(court__in=courts).order_by("action").values_list("action", flat=True).distinct()
    )
    form = AuditFilterForm(request.GET or None, actions=actions)
    if form.is_valid() and form.cleaned_data["action"]:
        events = events.filter(action=form.cleaned_data["action"])
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    targets = _audit_target_members(page.object_list)
    rows = [(event, action_label(event.action), targets.get((event.target_type, event.target_id))) for event in page]
    return render(request, "members/audit_list.html", {"page": page, "rows": rows, "form": form})


def _audit_target_members(events) -> dict[tuple[str, str], Member]:
    """Members named by the events on one page, in two queries instead of one per row."""
    member_ids = {e.target_id for e in events if e.target_type == "members.member" and e.target_id.isdigit()}
    user_ids = {e.target_id for e in events if e.target_type == "auth.user" and e.target_id.isdigit()}
    found: dict[tuple[str, str], Member] = {}
    for member in Member.objects.filter(pk__in=member_ids):
        found[("members.member", str(member.pk))] = member
    for member in Member.objects.filter(user_id__in=user_ids):
        found[("auth.user", str(member.user_id))] = member
    return found


def my_court_redirect(request: HttpRequest) -> HttpResponse:
    member = current_member(request.user)
    if member is None:
        first = visible_courts(request.user).first()
        if first is None:
            return redirect("home")
        return redirect(first)
    return redirect(member.court)
