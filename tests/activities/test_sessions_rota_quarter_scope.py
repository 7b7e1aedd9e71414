"""The quarter view of a cross-court group's rota: the city court's 两级法院研习小组 meets in the city
court, in 前郭 and in 辽源. The city court's organizer, who runs it, sees every meeting; 前郭's
organizer and president see 前郭's meetings only, never 辽源's; members get 403."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from activities.models import Rota
from members.models import Member, StudyGroup
from tests.activities.sessions_factories import make_session
from tests.factories import make_group, make_member

JAN = dt.datetime(2027, 1, 4, 8, 30, tzinfo=dt.UTC)
MEETINGS = {"city": "市院集中研讨", "court": "前郭分组研讨", "other_court": "辽源分组研讨"}


def quarter(client, rota: Rota):
    return client.get(reverse("activities:sessions_rota_quarter", args=[rota.pk]) + "?year=2027&quarter=1")


@pytest.fixture
def cross_court_rota(cast):
    group = make_group(
        cast.city, "两级法院研习小组", members=[cast.member, cast.outsider], kind=StudyGroup.Kind.RESEARCH
    )
    group.spans_courts_below = True
    group.save()
    rota = Rota.objects.create(court=cast.city, group=group)
    for day, (court_name, title) in enumerate(MEETINGS.items()):
        make_session(getattr(cast, court_name), start=JAN + dt.timedelta(days=7 * day), title=title,
                     unit_group=group, audience_court=False, rota=rota)  # fmt: skip
    return rota


def seen(response) -> set[str]:
    assert response.status_code == 200
    page = response.content.decode()
    return {title for title in MEETINGS.values() if title in page}


def test_each_court_sees_its_own_meetings_of_a_cross_court_group(cast, cross_court_rota):
    rota = cross_court_rota
    city_organizer = make_member(cast.city, "市院政治部", role=Member.Role.ORGANIZER)
    client = cast.client_for("organizer")
    client.force_login(city_organizer.user, backend="members.backends.MemberModelBackend")
    page = quarter(client, rota)
    assert seen(page) == set(MEETINGS.values())
    assert f'href="{rota.get_absolute_url()}"' in page.content.decode()  # back to the rota page they run

    assert seen(quarter(cast.client_for("organizer"), rota)) == {"前郭分组研讨"}
    assert seen(quarter(cast.client_for("leader"), rota)) == {"前郭分组研讨"}
    page = quarter(cast.client_for("organizer"), rota).content.decode()
    assert f'href="{rota.get_absolute_url()}"' not in page  # the rota page is the city court's: no dead link
    liaoyuan_organizer = make_member(cast.other_court, "辽源政治部", role=Member.Role.ORGANIZER)
    client = cast.client_for("organizer")
    client.force_login(liaoyuan_organizer.user, backend="members.backends.MemberModelBackend")
    assert seen(quarter(client, rota)) == {"辽源分组研讨"}

    # The group's members do not plan it; the city court's president does not run rotas.
    for role in ("member", "colleague", "outsider", "city_leader"):
        assert quarter(cast.client_for(role), rota).status_code == 403


def test_a_group_closed_to_the_courts_below_stays_the_city_courts(cast, cross_court_rota):
    rota = cross_court_rota
    rota.group.spans_courts_below = False
    rota.group.save()
    assert quarter(cast.client_for("organizer"), rota).status_code == 404
    assert quarter(cast.client_for("leader"), rota).status_code == 404


def test_a_basic_courts_own_group_rota_is_unchanged(cast):
    group = make_group(cast.court, "青年理论学习小组", leader=cast.colleague)
    rota = Rota.objects.create(court=cast.court, group=group)
    make_session(cast.court, start=JAN, title="青年小组研讨", unit_group=group, audience_court=False, rota=rota)
    for role in ("organizer", "colleague"):
        assert "青年小组研讨" in quarter(cast.client_for(role), rota).content.decode()
    assert quarter(cast.client_for("leader"), rota).status_code == 403  # the president reads, does not plan
    assert quarter(cast.client_for("outsider"), rota).status_code == 404
