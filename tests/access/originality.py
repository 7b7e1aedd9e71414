"""Access cases of the originality check: the court's switch, and the side-by-side comparison."""

from __future__ import annotations

import datetime as dt

from activities import originality as engine
from activities.models import OriginalityCheck, OriginalityMatch, Reflection, TextSignature

from . import Case, everyone

MANAGE = everyone(403, organizer=200, outsider=404)
CHANGE = everyone(403, organizer=302, outsider=404)
WHEN = dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC)


def _reflection(author, body: str) -> Reflection:
    return Reflection.objects.create(
        author=author, title="读书心得", body=body, body_html=body, status=Reflection.Status.SUBMITTED
    )


def compared(cast) -> list:
    """The member's reflection, checked, resembling the colleague's earlier one."""
    source = _reflection(cast.colleague, "调解时把道理讲透、把人情讲到，纠纷才能真正化解。")
    text = _reflection(cast.member, "调解时把道理讲透、把人情讲到，纠纷才能真正化解。我会坚持。")
    fingerprint = engine.fingerprint(source.body)
    signature = TextSignature.objects.create(
        kind="reflection",
        object_id=source.pk,
        court=cast.court,
        author=cast.colleague,
        written_at=WHEN,
        size=fingerprint.size,
        minhash=engine.signature_bytes(fingerprint.signature),
    )
    check = OriginalityCheck.objects.create(
        kind="reflection", object_id=text.pk, digest="x", similarity=90, checked_at=WHEN
    )
    match = OriginalityMatch.objects.create(
        check_result=check, source=signature, similarity=90, spans=engine.overlapping_passages(text.body, source.body)
    )
    return ["reflection", text.pk, match.pk]


CASES = [
    Case("members:court_originality", MANAGE, args=lambda cast: [cast.court.pk]),
    Case(
        "members:court_originality",
        CHANGE,
        args=lambda cast: [cast.court.pk],
        method="post",
        data=lambda cast: {"originality_check": "on", "originality_threshold": "30"},
    ),
    # The writer (member) is refused; the colleague cannot read a submitted reflection of another;
    # the court's organizer and the leaders above review it.
    Case(
        "activities:originality_compare",
        everyone(200, member=403, colleague=404, outsider=404),
        args=compared,
    ),
]
