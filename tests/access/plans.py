"""Access cases of the plans family: monthly plans, outputs, compilations, recruitment, qualifications.

In the cast, nobody heads 民一庭, so department-head access is covered in
tests/activities/test_plans_monthly.py. Plans here are for January 2020: long locked,
so no case depends on today's date.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from activities.models.plans import Application, Compilation, MemberOutcome, Qualification
from activities.services.plans import batch_create, compilation_add_outputs, squads_form
from members.models import StudyGroup

from ..activities.plans_fixtures import make_output, make_plan
from . import Case, everyone

# The owner, their organizer and leaders see a plan; colleagues and other courts do not.
PLAN_SEEN = {"member": 200, "organizer": 200, "leader": 200, "city_leader": 200, "colleague": 404, "outsider": 404}
# Only the owner writes it: others who see it get 403, others get 404.
OWNER_WRITES = {"member": 302, "organizer": 403, "leader": 403, "city_leader": 403, "colleague": 404, "outsider": 404}
# Organizer-only writes on court A objects: other courts' people get 404.
ORGANIZER_POSTS = everyone(403, organizer=302, outsider=404)
# Court A pages for organizers and leaders.
STAFF_READS = everyone(403, organizer=200, leader=200, city_leader=200, outsider=404)


def plan(cast) -> list:
    return [make_plan(cast.member, 2020, 1).pk]


def plan_item(cast) -> list:
    return [make_plan(cast.member, 2020, 1).items.first().pk]


def output(cast) -> list:
    return [make_output(cast.court, cast.member).pk]


def output_with_file(cast) -> list:
    o = make_output(cast.court, cast.member)
    o.attachment.save("paper.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    o.attachment_name = "论文.pdf"
    o.save()
    return [o.pk]


def compilation(cast) -> Compilation:
    c = Compilation.objects.create(court=cast.court, title="成果汇编", created_by=cast.organizer)
    compilation_add_outputs(compilation=c, outputs=[make_output(cast.court, cast.member)])
    return c


def compilation_pk(cast) -> list:
    return [compilation(cast).pk]


def compilation_item(cast) -> list:
    c = compilation(cast)
    return [c.pk, c.items.get().pk]


def compilation_with_file(cast) -> list:
    c = compilation(cast)
    c.file.save("compilation.docx", ContentFile(b"PK\x03\x04"), save=False)
    c.status = Compilation.Status.READY
    c.save()
    return [c.pk]


def batch(cast):
    group = StudyGroup.objects.create(court=cast.court, name="研习小组", kind=StudyGroup.Kind.RESEARCH)
    return batch_create(
        actor=cast.organizer,
        group=group,
        criteria="业务骨干",
        capacity=10,
        opens_on=dt.date(2020, 1, 1),
        closes_on=dt.date(2099, 12, 31),
    )


def batch_pk(cast) -> list:
    return [batch(cast).pk]


def application(cast) -> list:
    return [Application.objects.create(batch=batch(cast), member=cast.member, statement="申请").pk]


def batch_applied(cast) -> list:
    b = batch(cast)
    Application.objects.create(batch=b, member=cast.member, statement="申请")
    return [b.pk]


def formed(cast):
    b = batch(cast)
    for person in (cast.member, cast.colleague):
        Application.objects.create(batch=b, member=person, statement="申请", status=Application.Status.SELECTED)
    squads = squads_form(batch=b, actor=cast.organizer, squad_count=2, now=dt.datetime(2020, 1, 2, tzinfo=dt.UTC))
    return b, squads


def formed_batch(cast) -> list:
    return [formed(cast)[0].pk]


def squad(cast) -> list:
    return [formed(cast)[1][0].pk]


def squad_move(cast) -> dict:
    """Move the member to the other squad of the batch `formed_batch` made."""
    membership = cast.member.group_memberships.get(group__batch_squad__isnull=False)
    batch_ = membership.group.batch_squad.batch
    other = StudyGroup.objects.filter(batch_squad__batch=batch_).exclude(pk=membership.group_id).get()
    return {"member": cast.member.pk, "squad": other.pk}


def outcome(cast) -> list:
    return [
        MemberOutcome.objects.create(
            member=cast.member, kind="promotion", description="晋升", date=dt.date(2026, 1, 1)
        ).pk
    ]


def qualification(cast) -> list:
    q = Qualification.objects.create(
        member=cast.member, name="家庭教育指导师", issuer="妇联", issued_on=dt.date(2026, 1, 1)
    )
    q.file.save("scan.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    q.file_name = "证书.pdf"
    q.save()
    return [q.pk]


def member_pk(cast) -> list:
    return [cast.member.pk]


CASES = [
    # Monthly plans
    Case("activities:plan_my", everyone()),
    Case("activities:plan_start", everyone(302), method="post", data=lambda cast: {"year": 2020, "month": 1}),
    Case("activities:plan_detail", PLAN_SEEN, args=plan),
    Case(
        "activities:plan_item_add", OWNER_WRITES, args=plan, method="post", data=lambda c: {"kind": "work", "text": "x"}
    ),
    Case("activities:plan_item_edit", {**OWNER_WRITES, "member": 200}, args=plan_item),
    Case("activities:plan_item_delete", OWNER_WRITES, args=plan_item, method="post"),
    Case("activities:plan_report", OWNER_WRITES, args=plan),  # locked: the owner is sent back with a message
    Case("activities:plan_carry_over", OWNER_WRITES, args=plan, method="post"),
    Case(
        "activities:plan_reopen",
        {"member": 403, "organizer": 302, "leader": 403, "city_leader": 403, "colleague": 404, "outsider": 404},
        args=plan,
        method="post",
    ),
    Case("activities:plan_assign", {"organizer": 200}),
    Case("activities:plan_completion", {"organizer": 200, "leader": 200, "city_leader": 200}),
    Case(
        "activities:plan_completion", {"organizer": 200, "leader": 200, "city_leader": 200}, query="?year=2020&month=1"
    ),
    Case(
        "activities:plan_completion_department",
        everyone(403, organizer=200, leader=200, city_leader=200, outsider=404),
        args=lambda cast: [cast.department.pk],
    ),
    # Research outputs
    Case("activities:output_list", everyone()),
    Case("activities:output_create", everyone()),
    Case("activities:output_detail", everyone(200, outsider=404), args=output),
    Case("activities:output_edit", everyone(403, member=200, organizer=200, outsider=404), args=output),
    Case(
        "activities:output_delete", everyone(403, member=302, organizer=302, outsider=404), args=output, method="post"
    ),
    Case("activities:output_file", everyone(200, outsider=404), args=output_with_file),
    # Outputs import (organizers of their own court; the outsider is no organizer)
    Case("activities:output_import", {"organizer": 200}),
    Case("activities:output_template", {"organizer": 200}),
    # Compilations
    Case("activities:compilation_list", {"organizer": 200, "leader": 200, "city_leader": 200}),
    Case("activities:compilation_create", {"organizer": 200}),
    Case("activities:compilation_detail", STAFF_READS, args=compilation_pk),
    Case(
        "activities:compilation_edit",
        ORGANIZER_POSTS,
        args=compilation_pk,
        method="post",
        data=lambda c: {"title": "新标题", "content": "full"},
    ),
    Case("activities:compilation_add_outputs", ORGANIZER_POSTS, args=compilation_pk, method="post"),
    Case(
        "activities:compilation_add_filtered",
        ORGANIZER_POSTS,
        args=compilation_pk,
        method="post",
        data=lambda c: {"kind": "paper"},
    ),
    Case(
        "activities:compilation_order",
        ORGANIZER_POSTS,
        args=compilation_pk,
        method="post",
        data=lambda c: {"rule": "kind_date"},
    ),
    Case(
        "activities:compilation_item_move",
        ORGANIZER_POSTS,
        args=compilation_item,
        method="post",
        data=lambda c: {"direction": "up"},
    ),
    Case("activities:compilation_item_remove", ORGANIZER_POSTS, args=compilation_item, method="post"),
    Case("activities:compilation_build", ORGANIZER_POSTS, args=compilation_pk, method="post"),
    Case("activities:compilation_progress", STAFF_READS, args=compilation_pk),
    Case("activities:compilation_download", STAFF_READS, args=compilation_with_file),
    Case("activities:compilation_delete", ORGANIZER_POSTS, args=compilation_pk, method="post"),
    # Study-group recruitment
    Case("activities:recruitment_list", everyone()),
    Case("activities:recruitment_create", {"organizer": 200}),
    Case("activities:recruitment_detail", everyone(200, outsider=404), args=batch_pk),
    Case("activities:recruitment_edit", everyone(403, organizer=200, outsider=404), args=batch_pk),
    Case(
        "activities:recruitment_apply",
        everyone(302, outsider=404),
        args=batch_pk,
        method="post",
        data=lambda c: {"statement": "我想参加研习"},
    ),
    Case("activities:recruitment_withdraw", everyone(404, member=302), args=batch_applied, method="post"),
    Case("activities:recruitment_applications", STAFF_READS, args=batch_pk),
    Case(
        "activities:recruitment_decide",
        ORGANIZER_POSTS,
        args=application,
        method="post",
        data=lambda c: {"status": "selected"},
    ),
    Case(
        "activities:recruitment_form_squads",
        ORGANIZER_POSTS,
        args=batch_pk,
        method="post",
        data=lambda c: {"squad_count": 1},
    ),
    Case("activities:recruitment_squads", everyone(200, outsider=404), args=formed_batch),
    Case("activities:recruitment_squad_move", ORGANIZER_POSTS, args=formed_batch, method="post", data=squad_move),
    Case(
        "activities:recruitment_squad_move_many",
        ORGANIZER_POSTS,
        args=formed_batch,
        method="post",
        data=lambda c: {**squad_move(c), "pick": [c.member.pk]},
    ),
    Case(
        "activities:recruitment_decide_many",
        ORGANIZER_POSTS,
        args=batch_applied,
        method="post",
        data=lambda c: {"status": "selected", "everyone": "1"},
    ),
    Case(
        "activities:recruitment_squad_leader",
        ORGANIZER_POSTS,
        args=squad,
        method="post",
        data=lambda cast: {"member": cast.member.pk},
    ),
    Case("activities:outcome_create", everyone(403, organizer=200, outsider=404), args=member_pk),
    Case("activities:outcome_delete", ORGANIZER_POSTS, args=outcome, method="post"),
    # Qualifications
    Case("activities:qualification_list", everyone()),
    Case("activities:qualification_create", everyone()),
    Case("activities:qualification_create_for", everyone(403, organizer=200, outsider=404), args=member_pk),
    Case("activities:qualification_edit", everyone(403, member=200, organizer=200, outsider=404), args=qualification),
    Case(
        "activities:qualification_delete",
        everyone(403, member=302, organizer=302, outsider=404),
        args=qualification,
        method="post",
    ),
    Case("activities:qualification_file", everyone(200, colleague=403, outsider=404), args=qualification),
    Case("activities:qualification_counts", {"organizer": 200, "leader": 200, "city_leader": 200}),
]
