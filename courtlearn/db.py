"""Raw SQL for the few hot paths that outgrow the ORM (summary builds)."""

from __future__ import annotations

from django.db import connection


def _server_cursor():
    """A psycopg cursor that binds on the server and may use prepared statements.

    Django's own cursors bind on the client and never prepare, so Django leaves psycopg's
    prepared statements off (prepare_threshold None). This turns them on for the connection;
    only cursors like this one use them, and only for the statements that ask. (Behind a
    connection pooler in transaction mode, the pooler must support prepared statements, as
    PgBouncer 1.21+ does with max_prepared_statements.)
    """
    import psycopg

    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        raw.prepare_threshold = 5
    return psycopg.Cursor(raw)


def fetch_all(sql: str, params: dict | list | tuple, *, prepare: bool = True) -> list[tuple]:
    """Run one SELECT and return its rows.

    On PostgreSQL the statement is prepared on the server (psycopg's server-side binding):
    a statement run court after court on one connection is planned a few times, not each time.
    Elsewhere it goes through Django's cursor. Parameters are pyformat (%s or %(name)s).
    """
    if connection.vendor == "postgresql":
        with _server_cursor() as cursor:
            cursor.execute(sql, params, prepare=prepare)
            return cursor.fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def insert_rows(
    table: str, columns: dict[str, str], rows: list[tuple], tail: str = "", *, same: dict[str, object] | None = None
) -> None:
    """INSERT many rows in one statement; `columns` maps each column to its PostgreSQL type.

    PostgreSQL gets one array per column (`INSERT … SELECT * FROM unnest(…)`): one short,
    prepared statement whatever the row count. Elsewhere, executemany. `tail` is e.g. an
    ON CONFLICT clause. JSON columns take JSON text. `same` holds the columns whose value is
    the same in every row (each row tuple then leaves them out): sent once, not once per row.
    """
    if not rows:
        return
    same = same or {}
    names = ", ".join(f'"{name}"' for name in columns)
    varying = [name for name in columns if name not in same]
    if connection.vendor == "postgresql":
        # %b: arrays go in PostgreSQL's binary format (no quoting and escaping of every value).
        arrays = ", ".join(f"%b::{_array_type(columns[name])}[]" for name in varying)
        aliases = ", ".join(f"c{i}" for i in range(len(varying)))
        select = ", ".join(
            f"%s::{columns[name]}" if name in same else _cast(f"c{varying.index(name)}", columns[name])
            for name in columns
        )
        params = [same[name] for name in columns if name in same]
        params += [list(column) for column in zip(*rows, strict=True)]
        sql = f"INSERT INTO {table} ({names}) SELECT {select} FROM unnest({arrays}) AS t({aliases}) {tail}"
        with _server_cursor() as cursor:
            cursor.execute(sql, params, prepare=True)
        return
    placeholders = ", ".join(["%s"] * len(columns))
    full_rows = []
    for row in rows:
        values = iter(row)
        full_rows.append(tuple(same[name] if name in same else next(values) for name in columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders}) {tail}", full_rows)


def _array_type(kind: str) -> str:
    return "text" if kind == "jsonb" else kind


def _cast(expression: str, kind: str) -> str:
    return f"{expression}::jsonb" if kind == "jsonb" else expression
