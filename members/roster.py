"""Roster files: the political department's spreadsheet, in and out.

In: `parse_roster(upload)` reads whatever courtlearn.tabular reads (.xlsx, CSV in UTF-8 or
GBK…) with Chinese headers, as courts write them, into plain rows, each with its own parse
errors. 职务 is kept as written (`Member.title`); the report category `post` is derived from
it where it clearly maps. A 岗位类别 or 政治面貌 the product does not know is not an error: the
preview asks once what it means and the court's answer (RosterValueMapping) is used from then
on. `build_preview(...)` compares the rows with the court's members and says, row by row,
new / changed / unchanged / error and why; rows with errors are skipped by the import, the
others go in. Nothing here writes: members.services applies a confirmed preview.

Out: `roster_workbook(members)` writes the same format (with no members: the template).

Messages about a row are stored as codes (JSON on the ImportBatch) and translated when shown.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from courtlearn import xlsx
from courtlearn.tabular import TableFileError, read_table

from .models import (
    Court,
    Department,
    Member,
    PartyBranch,
    PartyGroup,
    RosterValueMapping,
    StudyGroup,
    StudyGroupMembership,
)

MAX_ROWS = 5000
TITLE_MAX = Member._meta.get_field("title").max_length
HEADER_SEARCH_ROWS = 10  # sheets often carry a title line or two above the headers


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()


# Headers as courts write them. When a sheet has two columns for one field (编号 beside 工号),
# the one named earlier in this list wins and the other is ignored with a note.
COLUMNS = (
    Column("name", "姓名", required=True, aliases=("干警姓名", "人员姓名")),
    Column(
        "employee_number",
        "工号",
        required=True,
        aliases=("人员编号", "工作证号", "工作证编号", "职工编号", "职工号", "编号"),
    ),
    Column(
        "department",
        "部门",
        aliases=("所在部门", "庭室", "所在庭室", "部门/庭室", "庭室/部门", "部门庭室", "工作部门", "所在部门/庭室"),
    ),
    Column("position_category", "岗位类别", aliases=("人员类别", "人员分类", "类别")),
    Column("title", "职务", aliases=("现任职务", "职位", "职务名称", "岗位")),
    Column("political_status", "政治面貌"),
    Column("party_branch", "党支部", aliases=("所在党支部",)),
    Column("party_group", "党小组", aliases=("所在党小组",)),
    Column("birth_date", "出生日期", aliases=("出生年月日", "生日")),
    Column("study_groups", "学习小组", aliases=("所在学习小组",)),
)
HEADERS = {c.field: c.header for c in COLUMNS}
_HEADER_TO_FIELD = {name: c.field for c in COLUMNS for name in (c.header, *c.aliases)}
_HEADER_RANK = {name: rank for c in COLUMNS for rank, name in enumerate((c.header, *c.aliases))}

# Chinese labels as they appear in rosters → model choices. The first label of each
# value is the one the export writes.
CATEGORY_LABELS = {
    Member.PositionCategory.TRIAL: ("审判", "审判人员", "法官"),
    Member.PositionCategory.SUPPORT: ("审判辅助", "审判辅助人员"),
    Member.PositionCategory.ADMIN: ("司法行政", "司法行政人员", "行政"),
}
# The report category (`post`) a 职务 stands for; the first label is how the category is shown.
POST_LABELS = {
    Member.Post.JUDGE: ("员额法官", "法官", "审判员", "庭长", "副庭长", "审判长", "助理审判员"),
    Member.Post.ASSISTANT: ("法官助理",),
    Member.Post.CLERK: ("书记员",),
    Member.Post.BAILIFF: ("司法警察", "法警"),
    Member.Post.ADMIN_STAFF: ("行政人员", "司法行政人员", "综合行政人员"),
    Member.Post.LEADER: ("院领导", "院长", "副院长", "党组成员", "党组书记", "党组副书记", "审判委员会专职委员"),
    Member.Post.OTHER: ("其他",),
}
# When a title names several things (党组成员、副院长、二级高级法官), the first category here wins.
POST_PRIORITY = (
    Member.Post.LEADER,
    Member.Post.JUDGE,
    Member.Post.ASSISTANT,
    Member.Post.CLERK,
    Member.Post.BAILIFF,
    Member.Post.ADMIN_STAFF,
    Member.Post.OTHER,
)
POLITICAL_LABELS = {
    Member.PoliticalStatus.PARTY: ("中共党员", "党员", "中国共产党党员"),
    Member.PoliticalStatus.PROBATIONARY: ("中共预备党员", "预备党员"),
    Member.PoliticalStatus.LEAGUE: ("共青团员", "团员"),
    Member.PoliticalStatus.DEMOCRATIC: (
        "民主党派",
        "民革党员",
        "民盟盟员",
        "民建会员",
        "民进会员",
        "农工党党员",
        "致公党党员",
        "九三学社社员",
        "台盟盟员",
    ),
    Member.PoliticalStatus.MASSES: ("群众",),
}
# Controlled columns: a value outside these is asked about once per court (RosterValueMapping).
LABELS = {"position_category": CATEGORY_LABELS, "political_status": POLITICAL_LABELS}
GROUP_ROLE_LABELS = {"组长": StudyGroupMembership.Role.LEADER, "组员": StudyGroupMembership.Role.MEMBER}

UNIT_KINDS = {
    "department": gettext_lazy("department"),
    "branch": gettext_lazy("party branch"),
    "partygroup": gettext_lazy("party group"),
    "studygroup": gettext_lazy("study group"),
}


class RosterFileError(Exception):
    """The file as a whole cannot be read: wrong type, encoding, no header row…"""


_POST_BY_LABEL = {label: post for post, labels in POST_LABELS.items() for label in labels}


def post_for_title(title: str) -> str:
    """The report category a 职务 stands for, or "" when it does not say (科员, 主任, 副主任…).

    Titles are written many ways (四级高级法官, 副庭长, 聘用制书记员, 党组成员、副院长): each part is
    matched by the words that decide it; of several parts the highest category wins.
    """
    found = {_post_of_part(part) for part in re.split(r"[、,，;；/／\s]+", title or "") if part}
    return next((post for post in POST_PRIORITY if post in found), "")


def _post_of_part(part: str) -> str:
    if part in _POST_BY_LABEL:
        return _POST_BY_LABEL[part]
    if "法官助理" in part:
        return Member.Post.ASSISTANT
    if "书记员" in part:
        return Member.Post.CLERK
    if "法警" in part or "司法警察" in part:
        return Member.Post.BAILIFF
    if part.startswith("党组") or part.endswith("专职委员") or (part.endswith("院长") and "助理" not in part):
        return Member.Post.LEADER
    if part.endswith(("法官", "审判员", "庭长", "审判长")):
        return Member.Post.JUDGE
    return ""


# --- reading the file -------------------------------------------------------------------


@dataclass
class ParsedRoster:
    columns: list[str]  # fields present, in COLUMNS order
    rows: list[dict]  # {"line": 3, "values": {...}, "errors": [...], "unknown": {"political_status": "无党派人士"}}
    ignored_headers: list[str] = field(default_factory=list)


def parse_roster(upload) -> ParsedRoster:
    """Read an uploaded roster. Raises RosterFileError for a file that cannot be read at all."""
    try:
        table = read_table(upload, max_rows=MAX_ROWS + HEADER_SEARCH_ROWS + 1)
    except TableFileError as exc:
        raise RosterFileError(exc.message) from None
    return _parse_table(table)


def normalize_header(value) -> str:
    text = re.sub(r"[（(].*?[)）]", "", str(value or ""))  # notes such as 出生日期（年-月-日）
    return re.sub(r"[\s*＊:：]", "", text).replace("／", "/")  # \s covers the full-width space


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores 工号 1024 as 1024.0
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\u3000", " ").strip()


def _find_header(table: list[list]) -> tuple[int, dict[int, str], list[str]]:
    """The header row (within the first rows: titles often sit above it), the column of each
    field, and the headers not used (性别, 学历, 手机…: ignored, and named in the preview)."""
    for index, row in enumerate(table[:HEADER_SEARCH_ROWS]):
        chosen: dict[str, tuple[int, int]] = {}  # field → (rank of its header, position)
        ignored: list[str] = []
        for position, cell in enumerate(row):
            header = normalize_header(cell)
            if not header:
                continue
            field_name = _HEADER_TO_FIELD.get(header)
            if field_name is None:
                ignored.append(header)
                continue
            rank = _HEADER_RANK[header]
            if field_name in chosen:
                # Two columns for one field (编号 beside 工号): the more specific header wins.
                kept_rank, kept_position = chosen[field_name]
                if rank >= kept_rank:
                    ignored.append(header)
                    continue
                ignored.append(normalize_header(row[kept_position]))
            chosen[field_name] = (rank, position)
        if len(chosen) >= 2:
            missing = [c.header for c in COLUMNS if c.required and c.field not in chosen]
            if missing:
                raise RosterFileError(
                    _("Missing columns: %(columns)s. The first row must hold the headers, as in the template.")
                    % {"columns": "、".join(missing)}
                )
            mapping = {position: name for name, (_rank, position) in chosen.items()}
            return index, mapping, ignored
    raise RosterFileError(
        _("No header row found. The first row must hold the headers, as in the template: %(headers)s.")
        % {"headers": "、".join(c.header for c in COLUMNS)}
    )


def _parse_table(table: list[list]) -> ParsedRoster:
    table = list(table)
    header_index, mapping, ignored = _find_header(table)
    columns = [c.field for c in COLUMNS if c.field in mapping.values()]
    rows: list[dict] = []
    for offset, raw in enumerate(table[header_index + 1 :], start=header_index + 2):
        cells = {name: raw[pos] if pos < len(raw) else None for pos, name in mapping.items()}
        if all(_cell_text(v) == "" for v in cells.values()):
            continue
        if len(rows) >= MAX_ROWS:
            raise RosterFileError(_("The file has more than %(n)s rows.") % {"n": MAX_ROWS})
        rows.append(_parse_row(offset, cells))
    if not rows:
        raise RosterFileError(_("The file has headers but no rows."))
    _mark_duplicates(rows)
    return ParsedRoster(columns=columns, rows=rows, ignored_headers=ignored)


def _label_lookup(field_name: str) -> dict[str, str]:
    return {label: value for value, labels in LABELS[field_name].items() for label in labels}


def parse_date(value) -> dt.date | None:
    """A birth date as rosters write it: a date cell, 1990-05-01, 1990/5/1, 1990.5.1, 19900501, 1990年5月1日."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _cell_text(value)
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\s+00:00(?::00)?)?", text) or re.fullmatch(
        r"(\d{4})(\d{2})(\d{2})", text
    )
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _parse_row(line: int, cells: dict) -> dict:
    values: dict = {}
    errors: list[dict] = []
    unknown: dict[str, str] = {}
    for name, raw in cells.items():
        text = _cell_text(raw)
        if name == "name":
            text = re.sub(r"\s+", "", text)  # rosters pad two-character names: 王  芳
        if name == "birth_date":
            if text == "":
                values[name] = ""
                continue
            day = parse_date(raw)
            if day is None or not (1900 <= day.year <= dt.date.today().year):
                errors.append({"code": "bad_date", "column": HEADERS[name], "value": text})
                values[name] = ""
            else:
                values[name] = day.isoformat()
        elif name in LABELS:
            key = re.sub(r"\s+", "", text)
            values[name] = str(_label_lookup(name).get(key, ""))
            if key and not values[name]:
                # Not an error: the preview asks what it means, once per court.
                unknown[name] = key[: RosterValueMapping._meta.get_field("raw_value").max_length]
        elif name == "title":
            # As written, whatever it is (科员, 副主任, 四级高级法官): the spaces that pad short
            # titles in printed rosters go, nothing else is judged.
            values[name] = re.sub(r"\s+", "", text)[:TITLE_MAX]
        elif name == "study_groups":
            values[name] = _parse_groups(text, errors)
        else:
            values[name] = text
    for column in COLUMNS:
        if column.required and not values.get(column.field):
            errors.append({"code": "missing", "column": column.header})
    limits = {"name": 50, "employee_number": 30, "department": 100, "party_branch": 100, "party_group": 100}
    for name, limit in limits.items():
        if len(values.get(name) or "") > limit:
            errors.append({"code": "too_long", "column": HEADERS[name], "limit": limit})
    if values.get("party_group") and not values.get("party_branch"):
        errors.append({"code": "group_without_branch"})
    return {"line": line, "values": values, "errors": errors, "unknown": unknown}


def _parse_groups(text: str, errors: list[dict]) -> list[list[str]]:
    """学习小组: names separated by 、 , ; or new lines, each optionally marked （组长） or （组员）."""
    groups: list[list[str]] = []
    for part in re.split(r"[、,，;；\n]+", text):
        part = part.strip()
        if not part:
            continue
        role = ""
        match = re.fullmatch(r"(.+?)\s*[(（]\s*(组长|组员)\s*[)）]", part)
        if match:
            part, role = match.group(1).strip(), str(GROUP_ROLE_LABELS[match.group(2)])
        if len(part) > 100:
            errors.append({"code": "too_long", "column": HEADERS["study_groups"], "limit": 100})
            continue
        if part not in {name for name, _role in groups}:
            groups.append([part, role])
    return groups


def _mark_duplicates(rows: list[dict]) -> None:
    lines: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        number = row["values"].get("employee_number")
        if number:
            lines[number].append(row["line"])
    for row in rows:
        number = row["values"].get("employee_number")
        if number and len(lines[number]) > 1:
            row["errors"].append(
                {"code": "duplicate", "value": number, "lines": "、".join(str(n) for n in lines[number])}
            )


def describe_error(error: dict) -> str:
    """The translated sentence for a stored row error."""
    code = error["code"]
    if code == "missing":
        return _("%(column)s is empty.") % error
    if code == "bad_date":
        return _("%(column)s: “%(value)s” is not a date (write it as 1990-05-01).") % error
    if code == "unknown_label":
        return _("%(column)s: “%(value)s” is not one of %(choices)s.") % error
    if code == "too_long":
        return _("%(column)s is longer than %(limit)s characters.") % error
    if code == "group_without_branch":
        return _("A party group needs its party branch in 党支部.")
    if code == "duplicate":
        return _("工号 %(value)s appears more than once in the file (rows %(lines)s).") % error
    if code == "unknown_unit":
        return _(
            "Unknown %(kind)s “%(value)s”: tick it under “Not yet in the system” to create it, or correct the file."
        ) % {
            "kind": UNIT_KINDS[error["kind"]],
            "value": error["value"],
        }
    return code


def describe_skipped(result: dict) -> list[dict]:
    """The rows an import skipped, each with its reasons as sentences (stored as codes on the batch)."""
    return [
        {**row, "reasons": [describe_error(error) for error in row.get("errors", [])]}
        for row in (result or {}).get("skipped_rows", [])
    ]


# --- comparing with the court's members -------------------------------------------------


@dataclass(frozen=True)
class UnitRef:
    """A department, branch, party group or study group named in the file but not in the court."""

    kind: str
    name: str
    branch: str = ""  # for party groups: the branch they belong to

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.branch}/{self.name}" if self.kind == "partygroup" else f"{self.kind}:{self.name}"

    @property
    def kind_label(self) -> str:
        return str(UNIT_KINDS[self.kind])

    @property
    def label(self) -> str:
        return f"{self.branch} · {self.name}" if self.branch else self.name


@dataclass
class RowPreview:
    line: int
    values: dict
    status: str  # new | changed | unchanged | error (skipped by the import)
    errors: list[str] = field(default_factory=list)
    error_codes: list[dict] = field(default_factory=list)  # the same errors, stored with a skipped row
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # header, before, after
    notes: list[str] = field(default_factory=list)
    member: Member | None = None
    cells: list[str] = field(default_factory=list)  # the row as shown, one per column of the file


@dataclass(frozen=True)
class UnknownValue:
    """A 岗位类别 or 政治面貌 written in a way the court has not told us the meaning of yet."""

    field: str
    raw: str
    lines: tuple[int, ...]

    @property
    def header(self) -> str:
        return HEADERS[self.field]

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(str(value), labels[0]) for value, labels in LABELS[self.field].items()]


@dataclass
class Preview:
    court: Court
    columns: list[str]
    rows: list[RowPreview]
    unknown_units: list[UnitRef]
    missing: list[Member]  # active members of the court absent from the file
    unknown_values: list[UnknownValue] = field(default_factory=list)  # still to be answered

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {status: self.count(status) for status in ("new", "changed", "unchanged", "error")}

    @property
    def has_errors(self) -> bool:
        return any(row.status == "error" for row in self.rows)

    @property
    def importable(self) -> int:
        """Rows the import takes: every row without an error."""
        return sum(1 for row in self.rows if row.status != "error")

    @property
    def ready(self) -> bool:
        """Every unknown value answered and at least one row to import."""
        return not self.unknown_values and self.importable > 0

    @property
    def headers(self) -> list[tuple[str, str]]:
        return [(name, HEADERS[name]) for name in self.columns]


def label_for(field_name: str, value: str) -> str:
    labels = LABELS[field_name].get(value)
    return labels[0] if labels else ""


def format_groups(groups: list) -> str:
    return "、".join(f"{name}（组长）" if role == StudyGroupMembership.Role.LEADER else name for name, role in groups)


@dataclass
class CourtUnits:
    """The court's units by name, loaded once per preview."""

    departments: dict[str, Department]
    branches: dict[str, PartyBranch]
    party_groups: dict[tuple[str, str], PartyGroup]
    study_groups: dict[str, StudyGroup]

    @classmethod
    def load(cls, court: Court) -> CourtUnits:
        return cls(
            departments={d.name: d for d in Department.objects.filter(court=court)},
            branches={b.name: b for b in PartyBranch.objects.filter(court=court)},
            party_groups={
                (g.branch.name, g.name): g
                for g in PartyGroup.objects.filter(branch__court=court).select_related("branch")
            },
            study_groups={g.name: g for g in StudyGroup.objects.filter(court=court)},
        )

    def refs_in(self, values: dict) -> list[tuple[UnitRef, bool]]:
        """Every unit the row names, each with whether it exists."""
        refs: list[tuple[UnitRef, bool]] = []
        if values.get("department"):
            refs.append((UnitRef("department", values["department"]), values["department"] in self.departments))
        branch = values.get("party_branch")
        if branch:
            refs.append((UnitRef("branch", branch), branch in self.branches))
            if values.get("party_group"):
                group = values["party_group"]
                refs.append((UnitRef("partygroup", group, branch), (branch, group) in self.party_groups))
        for name, _role in values.get("study_groups") or []:
            refs.append((UnitRef("studygroup", name), name in self.study_groups))
        return refs


def court_members(court: Court) -> dict[str, Member]:
    members = (
        Member.objects.filter(court=court)
        .select_related("department", "party_branch", "party_group")
        .prefetch_related(Prefetch("group_memberships", queryset=StudyGroupMembership.objects.select_related("group")))
    )
    return {m.employee_number: m for m in members}


def member_values(member: Member) -> dict:
    """A member as a roster row (the same shape parse_roster gives, plus the derived `post`)."""
    return {
        "name": member.name,
        "employee_number": member.employee_number,
        "department": member.department.name if member.department else "",
        "position_category": member.position_category,
        "title": member.title,
        "post": member.post,
        "political_status": member.political_status,
        "party_branch": member.party_branch.name if member.party_branch else "",
        "party_group": member.party_group.name if member.party_group else "",
        "birth_date": member.birth_date.isoformat() if member.birth_date else "",
        "study_groups": sorted(([gm.group.name, gm.role] for gm in member.group_memberships.all()), key=lambda g: g[0]),
    }


def _groups_differ(current: list, wanted: list) -> bool:
    current_roles = dict(map(tuple, current))
    wanted_roles = dict(map(tuple, wanted))
    if set(current_roles) != set(wanted_roles):
        return True
    return any(role and current_roles[name] != role for name, role in wanted_roles.items())


def _merged_groups(current: list, wanted: list) -> list:
    """What the member's groups become: the file's list, keeping current roles where the file says none."""
    current_roles = dict(map(tuple, current))
    return [
        [name, role or current_roles.get(name, StudyGroupMembership.Role.MEMBER)]
        for name, role in sorted(wanted, key=lambda g: g[0])
    ]


def _display(field_name: str, value, empty: str = "—") -> str:
    if field_name in LABELS:
        return label_for(field_name, value) or empty
    if field_name == "post":
        labels = POST_LABELS.get(value)
        return labels[0] if labels else empty
    if field_name == "study_groups":
        return format_groups(value) or empty
    return value or empty


def _wanted_post(values: dict, columns: list[str], member: Member | None) -> str | None:
    """The report category the row sets, or None to leave it as it is.

    Derived from 职务 where it clearly maps, and only when the title is new or changed (or the
    member has no category yet): a category an organizer corrected by hand survives re-imports.
    """
    if "title" not in columns:
        return None
    derived = post_for_title(values["title"])
    if not derived:
        return None
    if member is None or member.title != values["title"] or not member.post:
        return derived
    return None


def court_value_mappings(court: Court) -> dict[tuple[str, str], str]:
    """What this court's unusual 岗位类别 / 政治面貌 values mean: {(field, raw): value ("" = empty)}."""
    return {(m.field, m.raw_value): m.value for m in RosterValueMapping.objects.filter(court=court)}


def _apply_mappings(row: dict, values: dict, mappings: dict, preview: RowPreview, unanswered: dict) -> set[str]:
    """Fill the row's unknown values from the court's answers; returns the fields still unanswered."""
    pending = set()
    for name, raw in (row.get("unknown") or {}).items():
        if (name, raw) in mappings:
            values[name] = mappings[(name, raw)]
            shown = label_for(name, values[name]) or pgettext("roster value", "empty")
            preview.notes.append(
                _("%(column)s “%(value)s” is recorded as %(label)s, as this court chose before.")
                % {"column": HEADERS[name], "value": raw, "label": shown}
            )
        else:
            unanswered.setdefault((name, raw), []).append(row["line"])
            pending.add(name)
            preview.notes.append(
                _("%(column)s “%(value)s”: choose above what it means.") % {"column": HEADERS[name], "value": raw}
            )
    return pending


def build_preview(
    *,
    court: Court,
    columns: list[str],
    rows: list[dict],
    create_units: Iterable[str] = (),
    keep: Member | None = None,
    mappings: dict[tuple[str, str], str] | None = None,
) -> Preview:
    """Classify each parsed row against the court's members. Reads only.

    `create_units` are the keys of unknown units the user chose to create; `keep` is a member
    never listed as missing (the person importing); `mappings` are the court's answers for
    unknown values (loaded when not given).
    """
    columns = [name for name in columns if name in HEADERS]  # a batch kept from before a column was renamed
    chosen = set(create_units)
    units = CourtUnits.load(court)
    members = court_members(court)
    if mappings is None:
        mappings = court_value_mappings(court)
    unknown: dict[str, UnitRef] = {}
    unanswered: dict[tuple[str, str], list[int]] = {}
    previews: list[RowPreview] = []
    for row in rows:
        values = dict(row["values"])  # mapped values and the derived post are added to a copy
        preview = RowPreview(line=row["line"], values=values, status="error")
        pending = _apply_mappings(row, values, mappings, preview, unanswered)
        preview.cells = [
            _display(name, values.get(name, ""), empty=(row.get("unknown") or {}).get(name, "")) for name in columns
        ]
        preview.error_codes = list(row["errors"])
        for ref, exists in units.refs_in(values):
            if exists:
                continue
            unknown.setdefault(ref.key, ref)
            if ref.key in chosen:
                preview.notes.append(
                    _("%(kind)s “%(name)s” will be created.") % {"kind": ref.kind_label, "name": ref.label}
                )
            else:
                preview.error_codes.append({"code": "unknown_unit", "kind": ref.kind, "value": ref.label})
        preview.errors = [describe_error(e) for e in preview.error_codes]
        member = members.get(values.get("employee_number", ""))
        preview.member = member
        if preview.errors:
            previews.append(preview)
            continue
        post = _wanted_post(values, columns, member)
        if post is not None:
            values["post"] = post
        if member is None:
            preview.status = "new"
            previews.append(preview)
            continue
        current = member_values(member)
        for name in columns:
            if name == "employee_number" or name in pending:  # an unanswered value changes nothing yet
                continue
            if name == "study_groups":
                if _groups_differ(current[name], values[name]):
                    merged = _merged_groups(current[name], values[name])
                    preview.changes.append((HEADERS[name], _display(name, current[name]), _display(name, merged)))
            elif current[name] != values[name]:
                preview.changes.append((HEADERS[name], _display(name, current[name]), _display(name, values[name])))
        if post is not None and post != member.post:
            preview.changes.append(
                (
                    str(Member._meta.get_field("post").verbose_name),
                    _display("post", member.post),
                    _display("post", post),
                )
            )
        if not member.is_active:
            preview.changes.append((_("active"), _("no"), _("yes")))
        preview.status = "changed" if preview.changes else "unchanged"
        previews.append(preview)
    in_file = {row["values"].get("employee_number") for row in rows}
    missing = [
        m
        for number, m in sorted(members.items(), key=lambda item: item[1].name)
        if m.is_active and number not in in_file and (keep is None or m.pk != keep.pk)
    ]
    return Preview(
        court=court,
        columns=columns,
        rows=previews,
        unknown_units=sorted(unknown.values(), key=lambda u: (list(UNIT_KINDS).index(u.kind), u.key)),
        missing=missing,
        unknown_values=[
            UnknownValue(field=name, raw=raw, lines=tuple(lines))
            for (name, raw), lines in sorted(
                unanswered.items(), key=lambda item: (list(LABELS).index(item[0][0]), item[0][1])
            )
        ],
    )


# --- writing the file -------------------------------------------------------------------


def roster_workbook(members: Iterable[Member] = ()) -> bytes:
    """The roster as .xlsx in the import format; with no members, the empty template.

    Members should come with department, party_branch, party_group and
    group_memberships__group loaded.
    """
    from openpyxl.worksheet.datavalidation import DataValidation

    widths = {
        "姓名": 10,
        "工号": 10,
        "部门": 16,
        "岗位类别": 12,
        "职务": 12,
        "政治面貌": 14,
        "党支部": 16,
        "党小组": 14,
    }
    workbook = xlsx.new_workbook()
    sheet = xlsx.add_sheet(
        workbook,
        "花名册",
        [c.header for c in COLUMNS],
        widths=[widths.get(column.header, 24) for column in COLUMNS],
        header_fill="DDEBF7",
    )
    for member in members:
        values = member_values(member)
        row = []
        for column in COLUMNS:
            value = values[column.field]
            if column.field in LABELS:
                value = label_for(column.field, value)
            elif column.field == "study_groups":
                value = format_groups(value)
            elif column.field == "birth_date":
                value = member.birth_date
            row.append(value or None)
        number = xlsx.append_row(sheet, row)
        sheet.cell(row=number, column=2).number_format = "@"
        sheet.cell(row=number, column=9).number_format = "yyyy-mm-dd"
    for field_name, letter in (("position_category", "D"), ("political_status", "F")):
        labels = ",".join(labels[0] for labels in LABELS[field_name].values())
        validation = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True)
        # A warning, not a stop: other wordings are accepted and asked about once in the preview.
        validation.errorStyle = "warning"
        validation.error = "不在列表中的写法，导入时会请您选择对应项。"
        sheet.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    sheet.column_dimensions["B"].number_format = "@"

    notes = xlsx.add_sheet(workbook, "填写说明", ["列", "说明"], widths=(14, 90), freeze=None)
    explanations = {
        "姓名": "必填。",
        "工号": "必填，本院内唯一；再次导入时按工号识别同一人员。",
        "部门": "庭室或部门名称，须与系统中一致；新名称在导入预览中可选择新建。",
        "岗位类别": "、".join(labels[0] for labels in CATEGORY_LABELS.values())
        + "。其他写法在导入预览中选择一次对应类别，本院以后自动沿用。",
        "职务": "照实填写，如：院长、庭长、副庭长、审判员、法官助理、书记员、法警、主任、科员。"
        "系统据此归入统计用的岗位（员额法官、法官助理、书记员、司法警察、院领导等），归不进的保持原岗位。",
        "政治面貌": "、".join(labels[0] for labels in POLITICAL_LABELS.values())
        + "。其他写法（如无党派人士）在导入预览中选择一次对应项，本院以后自动沿用。",
        "党支部": "所在党支部名称。",
        "党小组": "所在党小组名称，须同时填写党支部。",
        "出生日期": "如 1990-05-01，也可写 1990/5/1 或 1990年5月1日。",
        "学习小组": "可填多个，用顿号分隔；组长注明（组长），如：青年理论学习小组（组长）、第一学习小队。",
    }
    for column in COLUMNS:
        xlsx.append_row(notes, [column.header, explanations[column.header]])
    xlsx.append_row(notes, [])
    xlsx.append_row(notes, ["提示", "第一行必须是列名；空单元格表示清空该项，缺少某列则不修改该项。"])
    return xlsx.to_bytes(workbook)
