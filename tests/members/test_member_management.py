"""The organizer's member pages: edit, role, password reset, deactivation — and their limits."""

from __future__ import annotations

from django.urls import reverse

from members.models import AuditEvent, Department, Member
from tests.factories import make_member


def test_organizer_edits_a_member_and_the_change_is_audited(cast):
    client = cast.client_for("organizer")
    url = reverse("members:member_edit", args=[cast.member.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "张明明",
            "department": cast.department.pk,
            "position_category": Member.PositionCategory.TRIAL,
            "post": Member.Post.JUDGE,
            "political_status": Member.PoliticalStatus.PARTY,
            "party_branch": cast.branch.pk,
            "party_group": "",
            "birth_date": "1991-04-05",
        },
    )
    assert response.status_code == 302
    cast.member.refresh_from_db()
    assert cast.member.name == "张明明" and str(cast.member.birth_date) == "1991-04-05"
    event = AuditEvent.objects.get(action="member.updated")
    assert set(event.detail["fields"]) == {"name", "political_status", "birth_date"}
    assert event.court == cast.court


def test_an_edit_cannot_move_a_member_into_another_courts_department(cast):
    client = cast.client_for("organizer")
    response = client.post(
        reverse("members:member_edit", args=[cast.member.pk]),
        {"name": "张明", "department": cast.other_department.pk},
    )
    assert response.status_code == 200 and response.context["form"].errors["department"]
    cast.member.refresh_from_db()
    assert cast.member.department == cast.department


def test_organizer_changes_a_role_and_the_audit_says_from_what_to_what(cast):
    client = cast.client_for("organizer")
    response = client.post(
        reverse("members:member_role", args=[cast.colleague.pk]),
        {"role": Member.Role.ORGANIZER, "scope_department": cast.department.pk},
    )
    assert response.status_code == 302
    cast.colleague.refresh_from_db()
    assert cast.colleague.role == Member.Role.ORGANIZER and cast.colleague.scope_department == cast.department
    event = AuditEvent.objects.get(action="member.role_changed")
    assert event.detail["old"] == "member" and event.detail["new"] == "organizer"
    assert event.actor == cast.organizer.user and event.target_id == str(cast.colleague.pk)


def test_an_organizer_cannot_change_their_own_role(cast):
    client = cast.client_for("organizer")
    response = client.post(reverse("members:member_role", args=[cast.organizer.pk]), {"role": Member.Role.MEMBER})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    cast.organizer.refresh_from_db()
    assert cast.organizer.role == Member.Role.ORGANIZER


def test_scope_is_only_for_organizers(cast):
    client = cast.client_for("organizer")
    response = client.post(
        reverse("members:member_role", args=[cast.colleague.pk]),
        {"role": Member.Role.LEADER, "scope_branch": cast.branch.pk},
    )
    assert response.status_code == 200
    cast.colleague.refresh_from_db()
    assert cast.colleague.role == Member.Role.MEMBER


def test_password_reset_shows_a_printable_slip_once_and_forces_a_change(cast, client):
    organizer = cast.client_for("organizer")
    response = organizer.post(reverse("members:member_password_reset", args=[cast.colleague.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    password = response.context["password"]
    assert password in response.content.decode()
    assert AuditEvent.objects.filter(action="member.password_reset", target_id=str(cast.colleague.pk)).exists()
    assert password not in str(list(AuditEvent.objects.values_list("detail", flat=True)))
    assert client.post(reverse("login"), {"username": "colleague", "password": password}).status_code == 302
    assert client.get(reverse("my_learning"))["Location"].startswith(reverse("password_change"))
    assert organizer.get(reverse("members:member_password_reset", args=[cast.colleague.pk])).status_code == 405


def test_a_site_admins_password_is_not_reset_by_an_organizer(cast):
    cast.colleague.user.is_superuser = True
    cast.colleague.user.save()
    response = cast.client_for("organizer").post(reverse("members:member_password_reset", args=[cast.colleague.pk]))
    assert response.status_code == 403


def test_a_deactivated_member_cannot_log_in_and_can_be_reactivated(cast, client, password):
    organizer = cast.client_for("organizer")
    url = reverse("members:member_set_active", args=[cast.colleague.pk])
    assert organizer.post(url, {"active": "0"}).status_code == 302
    cast.colleague.refresh_from_db()
    assert not cast.colleague.is_active and not cast.colleague.user.is_active
    login = {"username": "colleague", "password": password}
    assert client.post(reverse("login"), login).status_code == 200  # the form again, with an error
    assert AuditEvent.objects.filter(action="member.deactivated").count() == 1
    organizer.post(url, {"active": "1"})
    cast.colleague.refresh_from_db()
    assert cast.colleague.is_active
    assert client.post(reverse("login"), login).status_code == 302


def test_an_organizer_cannot_deactivate_themselves(cast):
    client = cast.client_for("organizer")
    client.post(reverse("members:member_set_active", args=[cast.organizer.pk]), {"active": "0"})
    cast.organizer.refresh_from_db()
    assert cast.organizer.is_active


def test_a_limited_organizer_manages_only_their_department(cast):
    political = Department.objects.get(court=cast.court, name="政治部")
    secretary = make_member(
        cast.court, "周书记", department=political, role=Member.Role.ORGANIZER, scope_department=cast.department
    )
    client = cast.client_for("anon")
    client.force_login(secretary.user, backend="members.backends.MemberModelBackend")
    # In their department: may edit and reset, but not change roles (that is court-wide work).
    assert client.get(reverse("members:member_edit", args=[cast.member.pk])).status_code == 200
    assert client.post(reverse("members:member_password_reset", args=[cast.member.pk])).status_code == 200
    assert client.get(reverse("members:member_role", args=[cast.member.pk])).status_code == 403
    # Outside it: seen (same court) but not theirs to manage.
    assert client.get(reverse("members:member_edit", args=[cast.leader.pk])).status_code == 403
    assert client.post(reverse("members:member_set_active", args=[cast.leader.pk]), {"active": "0"}).status_code == 403
    # Their department choices are limited to their own department.
    form = client.get(reverse("members:member_edit", args=[cast.member.pk])).context["form"]
    assert list(form.fields["department"].queryset) == [cast.department]
    assert client.get(reverse("members:audit_list")).status_code == 403


def test_the_profile_shows_management_buttons_only_to_those_who_manage(cast):
    url = reverse("members:member_detail", args=[cast.member.pk])
    assert "member-actions" in cast.client_for("organizer").get(url).content.decode()
    for role in ("member", "colleague", "leader", "city_leader"):
        assert "member-actions" not in cast.client_for(role).get(url).content.decode()


def test_private_details_are_shown_to_the_member_organizers_and_leaders_only(cast):
    url = reverse("members:member_detail", args=[cast.member.pk])
    assert cast.client_for("member").get(url).context["show_private"]
    assert cast.client_for("organizer").get(url).context["show_private"]
    assert cast.client_for("leader").get(url).context["show_private"]
    assert not cast.client_for("colleague").get(url).context["show_private"]
