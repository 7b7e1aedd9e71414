"""Object permissions for members (registered with django-rules, checked by user.has_perm)."""

from __future__ import annotations

import rules

from .access import current_member, is_court_wide_organizer, managed_members


@rules.predicate
def can_manage_member(user, member) -> bool:
    return member is not None and managed_members(user).filter(pk=member.pk).exists()


@rules.predicate
def can_see_member_private(user, member) -> bool:
    """Birth date, account state: the member, their organizers and leaders."""
    if member is None:
        return False
    me = current_member(user)
    if me is not None and me.pk == member.pk:
        return True
    return can_manage_member(user, member) or bool(me and me.is_leader)


@rules.predicate
def can_manage_court(user, court) -> bool:
    return court is not None and is_court_wide_organizer(user, court)


rules.add_perm("members.manage_member", can_manage_member)
rules.add_perm("members.see_member_private", can_see_member_private)
rules.add_perm("members.manage_court", can_manage_court)
