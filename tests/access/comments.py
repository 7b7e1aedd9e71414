from django.contrib.contenttypes.models import ContentType

from . import Case, everyone


def member_target(cast) -> list:
    return [ContentType.objects.get_for_model(cast.member).pk, cast.member.pk]


CASES = [
    # A member record is not commentable: the comment URL does not exist for it, for anyone.
    Case("activities:comment_add", everyone(404), args=member_target, method="post", data=lambda cast: {"text": "好"}),
]
