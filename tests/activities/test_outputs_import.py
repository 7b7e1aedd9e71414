"""A court's 122 research outputs come in from one sheet and go into a 成果汇编 in one action.

Issue 13 point 6: 122 outputs could only be entered one form at a time, and a 122-entry
compilation could be ordered only one place per click.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models.plans import Compilation, ResearchOutput
from activities.services.outputs_sheet import import_report
from members.models import AuditEvent

from ..factories import make_member

HEADER = ["类型", "标题", "日期", "作者", "级别", "刊发载体", "摘要"]
IMPORT = reverse("activities:output_import")


def sheet_rows(cast, good=119):
    """22 papers and 97 typical cases (as 九原 and 前郭 report them), then three bad rows."""
    rows = []
    for i in range(good):
        kind = "论文" if i < 22 else "典型案例"
        day = dt.date(2026, 1 + i % 12, 1 + i % 28)
        authors = cast.member.employee_number if i % 3 else f"{cast.member.name}、{cast.colleague.employee_number}"
        if i == 6:
            authors += "、陈教授(吉林大学法学院)"
        rows.append([kind, f"{kind}第{i + 1:03d}号：关于基层审判实务的思考", day, authors, "院级", "本院调研园地", ""])
    rows.append(["专著", "一部不知何类的成果", "2026-03-01", cast.member.employee_number, "", "", ""])
    rows.append(["论文", "日期写错的论文", "三月中旬", cast.member.employee_number, "", "", ""])
    rows.append(["论文", "作者查无此人的论文", "2026-04-01", "无名氏", "", "", ""])
    return rows


def xlsx_upload(rows, name="调研成果.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def gbk_csv_upload(rows, name="调研成果.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([cell.strftime("%Y/%m/%d") if isinstance(cell, dt.date) else cell for cell in row])
    return SimpleUploadedFile(name, out.getvalue().encode("gbk"))


@pytest.mark.parametrize("upload", [xlsx_upload, gbk_csv_upload], ids=["xlsx", "gbk-csv"])
def test_122_outputs_import_with_three_bad_rows_skipped_then_a_compilation_in_kind_then_date_order(cast, upload):
    client = cast.client_for("organizer")
    rows = sheet_rows(cast)
    report = client.post(IMPORT, {"file": upload(rows)})
    assert report.status_code == 200 and ResearchOutput.objects.count() == 0  # nothing written yet
    checked = report.context["report"]
    assert len(checked.rows) == 122 and len(checked.new) == 119
    assert [row.number for row in checked.invalid] == [121, 122, 123]
    assert 'id="import-valid"' in report.content.decode() and 'id="import-all"' not in report.content.decode()

    done = client.post(IMPORT, {"token": report.context["token"], "mode": "valid"})
    assert done.status_code == 302
    assert ResearchOutput.objects.filter(court=cast.court).count() == 119
    assert ResearchOutput.objects.filter(kind="paper").count() == 22
    with_outsider = ResearchOutput.objects.get(title__startswith="论文第007号")
    assert [a.display_name for a in with_outsider.authors.all()] == ["张明", "李静", "陈教授(吉林大学法学院)"]
    event = AuditEvent.objects.get(action="output.imported")
    assert event.detail["created"] == 119 and event.detail["skipped_rows"] == [121, 122, 123]
    assert not AuditEvent.objects.filter(action="output.created").exists()  # one audit row, not 119

    # The same sheet again adds nothing.
    again = client.post(IMPORT, {"file": upload(rows)})
    assert len(again.context["report"].new) == 0 and len(again.context["report"].recorded) == 119
    assert 'id="nothing-new"' in again.content.decode()
    assert ResearchOutput.objects.count() == 119

    compilation = Compilation.objects.create(court=cast.court, title="2026年度调研成果汇编", created_by=cast.organizer)
    added = client.post(reverse("activities:compilation_add_filtered", args=[compilation.pk]), {})
    assert added.status_code == 302 and compilation.items.count() == 119
    client.post(reverse("activities:compilation_order", args=[compilation.pk]), {"rule": "kind_date"})
    ordered = [(i.output.kind, i.output.date) for i in compilation.items.select_related("output").order_by("position")]
    assert ordered == sorted(ordered, key=lambda pair: (pair[0] != "paper", pair[1]))
    assert ordered[0][0] == "paper" and ordered[22][0] == "typical_case"


def test_each_bad_row_says_why(cast):
    make_member(cast.court, "张明", department=cast.department)  # a second 张明
    rows = [
        ["问答", "题", "2026-01-01", cast.member.employee_number, "", "", ""],
        ["论文", "", "2026-01-01", cast.member.employee_number, "", "", ""],
        ["论文", "同名作者", "2026-01-01", "张明", "", "", ""],
        ["论文", "只有外单位作者", "2026-01-01", "陈教授(吉林大学)", "", "", ""],
        ["论文", "级别不明", "2026-01-01", cast.member.employee_number, "世界级", "", ""],
        ["论文", "重复的一行", "2026-01-01", cast.member.employee_number, "", "", ""],
        ["论文", "重复的一行", "2026-01-01", cast.colleague.employee_number, "", "", ""],
        ["论文", "另一法院的作者", "2026-01-01", cast.outsider.employee_number, "", "", ""],
    ]
    report = import_report(xlsx_upload(rows), court=cast.court)
    errors = {row.number: " ".join(row.errors) for row in report.rows}
    assert set(errors) == {2, 3, 4, 5, 6, 7, 8, 9}
    assert errors[7] == ""  # the first of two identical rows is fine, the second is not
    assert all(errors[n] for n in (2, 3, 4, 5, 6, 8, 9))
    assert "7" in errors[8]  # the same output as row 7


def test_a_file_that_is_no_table_is_refused_with_a_sentence(cast):
    client = cast.client_for("organizer")
    response = client.post(IMPORT, {"file": SimpleUploadedFile("成果.xlsx", b"%PDF-1.4 not a sheet")})
    assert response.status_code == 200 and response.context["upload_form"].errors
    assert client.post(IMPORT, {"token": "forged", "mode": "all"}).status_code == 302
    assert ResearchOutput.objects.count() == 0


def test_the_template_has_the_headers_and_the_members_cannot_import(cast):
    response = cast.client_for("organizer").get(reverse("activities:output_template"))
    workbook = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    )
    assert [c.value for c in workbook.worksheets[0][1]][:4] == ["类型", "标题", "日期", "作者"]
    assert cast.client_for("member").get(IMPORT).status_code == 403
    listed = cast.client_for("organizer").get(reverse("activities:output_list")).content.decode()
    assert 'id="output-import"' in listed
    assert 'id="output-import"' not in cast.client_for("member").get(reverse("activities:output_list")).content.decode()


def test_organizer_drags_or_numbers_the_order(cast):
    from activities.services.plans import compilation_add_outputs

    from ..activities.plans_fixtures import make_output

    compilation = Compilation.objects.create(court=cast.court, title="汇编", created_by=cast.organizer)
    outputs = [make_output(cast.court, cast.member, title=f"成果{i}") for i in range(4)]
    compilation_add_outputs(compilation=compilation, outputs=outputs)
    items = list(compilation.items.order_by("position").values_list("pk", flat=True))
    url = reverse("activities:compilation_order", args=[compilation.pk])
    client = cast.client_for("organizer")
    page = client.get(compilation.get_absolute_url()).content.decode()
    assert "data-sortable" in page and "js/sortable.js" in page
    # Dragged: the script sends the ids in order.
    client.post(url, {"order": f"{items[3]},{items[0]},junk,{items[2]},{items[1]},999999"})
    assert list(compilation.items.order_by("position").values_list("pk", flat=True)) == [
        items[3],
        items[0],
        items[2],
        items[1],
    ]
    # Without the script: item 1 (now 4th) typed as place 1 goes first.
    client.post(url, {f"position_{items[1]}": "1", f"position_{items[3]}": "x"})
    assert list(compilation.items.order_by("position").values_list("pk", flat=True))[0] == items[1]
    assert client.post(url, {"rule": "bogus"}).status_code == 302
