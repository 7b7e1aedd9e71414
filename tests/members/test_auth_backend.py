"""Every request loads the user with their member record and court in one query."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.backends import MemberModelBackend
from members.models import Member


def test_the_user_comes_with_member_and_court_in_one_query(cast):
    with CaptureQueriesContext(connection) as queries:
        user = MemberModelBackend().get_user(cast.member.user_id)
        member = user.member
        assert (member.pk, member.name, member.court.name) == (cast.member.pk, cast.member.name, cast.court.name)
        assert member.user is user
    assert len(queries) == 1


def test_loaded_fields_have_python_types(cast):
    stored = get_user_model().objects.select_related("member__court").get(pk=cast.member.user_id)
    loaded = MemberModelBackend().get_user(cast.member.user_id)
    for a, b in ((stored, loaded), (stored.member, loaded.member), (stored.member.court, loaded.member.court)):
        for field in type(a)._meta.concrete_fields:
            assert getattr(a, field.attname) == getattr(b, field.attname), field.name
    assert loaded.date_joined.tzinfo is not None and loaded.member.is_active is True


def test_a_user_without_member_record_is_still_a_user(admin_user):
    user = MemberModelBackend().get_user(admin_user.pk)
    assert user == admin_user and not hasattr(user, "member")


def test_an_inactive_or_missing_user_is_nobody(cast):
    get_user_model().objects.filter(pk=cast.member.user_id).update(is_active=False)
    assert MemberModelBackend().get_user(cast.member.user_id) is None
    assert MemberModelBackend().get_user(999_999) is None


def test_a_logged_in_member_is_loaded_once_per_page(cast, same_minute):
    client = cast.client_for("member")
    client.get("/me/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/me/")
    assert not [q for q in queries if '"members_member"' in q["sql"] and "auth_user" not in q["sql"]]
    assert Member.objects.filter(pk=cast.member.pk).exists()
