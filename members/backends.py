"""Authentication backend: Django's ModelBackend, loading the member and court with the user.

Every page needs the user's Member and court (navigation, access checks, the versions in the
cache keys of page fragments). `get_user` runs on every request, so it reads all three in one
query whose SQL is built once per process: composing and compiling that ORM query, then
populating three models through select_related, cost about twice the query itself.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connections, router
from django.db.models import Model

from .models import Court, Member


@dataclass(frozen=True)
class _Part:
    model: type[Model]
    attnames: list[str]
    columns: list  # Col expressions, as converters expect them
    converters: list[list]  # per column: the backend's and the field's from-database converters

    def build(self, alias: str, values: tuple, connection) -> Model | None:
        if values[0] is None:  # no row joined (a user without a member record)
            return None
        values = list(values)
        for i, converters in enumerate(self.converters):
            for convert in converters:
                values[i] = convert(values[i], self.columns[i], connection)
        return self.model.from_db(alias, self.attnames, values)


@functools.cache
def _user_member_court_query(alias: str) -> tuple[str, list[_Part]]:
    """SELECT user, member, court columns, LEFT JOINed, for one user id (built once per process)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    user_model = get_user_model()
    selected, parts = [], []
    for model, table in ((user_model, "u"), (Member, "m"), (Court, "c")):
        fields = model._meta.concrete_fields
        columns = [field.get_col(table) for field in fields]
        parts.append(
            _Part(
                model=model,
                attnames=[field.attname for field in fields],
                columns=columns,
                converters=[
                    connection.ops.get_db_converters(col) + field.get_db_converters(connection)
                    for field, col in zip(fields, columns, strict=True)
                ],
            )
        )
        selected += [f"{table}.{quote(field.column)}" for field in fields]
    user_pk = quote(user_model._meta.pk.column)
    sql = (
        f"SELECT {', '.join(selected)} FROM {quote(user_model._meta.db_table)} u"
        f" LEFT JOIN {quote(Member._meta.db_table)} m ON m.{quote(Member._meta.get_field('user').column)} = u.{user_pk}"
        f" LEFT JOIN {quote(Court._meta.db_table)} c ON c.{quote(Court._meta.pk.column)}"
        f" = m.{quote(Member._meta.get_field('court').column)}"
        f" WHERE u.{user_pk} = %s"
    )
    return sql, parts


class MemberModelBackend(ModelBackend):
    def get_user(self, user_id):
        alias = router.db_for_read(get_user_model())
        sql, parts = _user_member_court_query(alias)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        objects, start = [], 0
        for part in parts:
            objects.append(part.build(alias, row[start : start + len(part.attnames)], connection))
            start += len(part.attnames)
        user, member, court = objects
        # What `user.member` and `member.court` would have loaded, as select_related leaves it.
        link = Member._meta.get_field("user")
        if member is not None:
            Member._meta.get_field("court").set_cached_value(member, court)
            link.set_cached_value(member, user)
        link.remote_field.set_cached_value(user, member)
        return user if self.user_can_authenticate(user) else None
