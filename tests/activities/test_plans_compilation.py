"""The compilation (成果汇编): pick and order outputs, build a .docx, read it back."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from activities.models.plans import Compilation, CompilationItem, ResearchOutput
from activities.services import plans as services
from members.models import AuditEvent

from .plans_fixtures import make_output


def make_compilation(cast, **fields) -> Compilation:
    return Compilation.objects.create(
        court=cast.court,
        title=fields.pop("title", "习近平法治思想研习小组“学以致用”成果汇编(第一批)"),
        compiled_by="前郭县人民法院政治部",
        created_by=cast.organizer,
        **fields,
    )


def outputs_for(cast, n: int) -> list[ResearchOutput]:
    return [
        make_output(
            cast.court,
            cast.member if i % 2 == 0 else cast.colleague,
            title=f"第{i + 1}篇:关于诉源治理的调研",
            kind=ResearchOutput.Kind.RESEARCH_REPORT,
            abstract=f"摘要{i + 1}:诉源治理的实践与思考。",
            body=f"正文{i + 1}第一段:坚持把非诉讼纠纷解决机制挺在前面。\n正文{i + 1}第二段:推动矛盾纠纷源头化解。",
            date=dt.date(2026, 3, 1) + dt.timedelta(days=i),
        )
        for i in range(n)
    ]


def read_docx(compilation: Compilation) -> Document:
    compilation.refresh_from_db()
    with compilation.file.open("rb") as handle:
        return Document(io.BytesIO(handle.read()))


def paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def test_organizer_picks_orders_and_builds_a_compilation(cast):
    client = cast.client_for("organizer")
    response = client.post(
        reverse("activities:compilation_create"),
        {
            "title": "研习小组成果汇编(第一批)",
            "compiled_by": "政治部 编",
            "content": "full",
            "preface": "前言:学以致用。",
        },
    )
    compilation = Compilation.objects.get()
    assert response.url == compilation.get_absolute_url()
    first, second, third = outputs_for(cast, 3)
    client.post(
        reverse("activities:compilation_add_outputs", args=[compilation.pk]),
        {"outputs": [first.pk, second.pk, third.pk]},
    )
    third_item = compilation.items.get(output=third)
    client.post(reverse("activities:compilation_item_move", args=[compilation.pk, third_item.pk]), {"direction": "up"})
    client.post(reverse("activities:compilation_item_move", args=[compilation.pk, third_item.pk]), {"direction": "up"})
    order = list(compilation.items.order_by("position").values_list("output__title", flat=True))
    assert order == [third.title, first.title, second.title]

    with translation.override("zh-hans"):
        response = client.post(reverse("activities:compilation_build", args=[compilation.pk]))
    assert response.status_code == 302
    compilation.refresh_from_db()
    assert compilation.status == Compilation.Status.READY and compilation.progress == 100
    assert AuditEvent.objects.filter(action="compilation.build_requested").exists()

    document = read_docx(compilation)
    text = paragraphs(document)
    # Title page, then the table of contents in the organizer's order, then the texts.
    assert text[0] == "研习小组成果汇编(第一批)"
    assert "政治部 编" in text[:5] and cast.court.name in text[:5]
    contents = text.index("目录")  # the interface language (Chinese by default)
    assert text[contents + 1].startswith(f"1. {third.title}")
    assert text[contents + 2].startswith(f"2. {first.title}")
    assert text[contents + 3].startswith(f"3. {second.title}")
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[-3:] == [f"1. {third.title}", f"2. {first.title}", f"3. {second.title}"]
    # Each contents line ends in the page of its output's heading: a PAGEREF field to a bookmark
    # on that heading, which the word processor fills in when the document is opened.
    body = document.element.body
    refs = [instruction.text.split() for instruction in body.iter(qn("w:instrText"))]
    assert refs == [["PAGEREF", f"_Output{n}", "\\h"] for n in (1, 2, 3)]
    marked = {
        mark.get(qn("w:name")): Paragraph(mark.getparent(), None).text for mark in body.iter(qn("w:bookmarkStart"))
    }
    assert [marked[name] for _pageref, name, _h in refs] == headings[-3:]
    assert document.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    assert "前言:学以致用。" in text
    # Chinese text intact: full texts, paragraph by paragraph, authors with outside affiliations.
    assert "正文3第一段:坚持把非诉讼纠纷解决机制挺在前面。" in text
    assert "正文1第二段:推动矛盾纠纷源头化解。" in text
    assert text.index("正文3第一段:坚持把非诉讼纠纷解决机制挺在前面。") < text.index(
        "正文1第一段:坚持把非诉讼纠纷解决机制挺在前面。"
    )
    # The East Asian font is set on every run with text, and on the styles.
    runs = [run for p in document.paragraphs for run in p.runs if run.text.strip()]
    assert runs and all(run._element.rPr.rFonts.get(qn("w:eastAsia")) in {"宋体", "黑体", "楷体"} for run in runs)
    assert document.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    body_runs = [run for p in document.paragraphs for run in p.runs if run.text.startswith("正文")]
    assert {run._element.rPr.rFonts.get(qn("w:eastAsia")) for run in body_runs} == {"宋体"}

    download = client.get(reverse("activities:compilation_download", args=[compilation.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"PK")


def test_abstracts_edition_prints_abstracts_not_texts(cast):
    compilation = make_compilation(cast, content=Compilation.Content.ABSTRACTS)
    outputs = outputs_for(cast, 2)
    no_abstract = make_output(cast.court, cast.member, title="无摘要的案例", body="甲" * 400)
    services.compilation_add_outputs(compilation=compilation, outputs=[*outputs, no_abstract])
    with translation.override("zh-hans"):
        services.compilation_request_build(compilation=compilation, actor=cast.organizer, now=timezone.now())
    text = paragraphs(read_docx(compilation))
    assert "摘要:摘要1:诉源治理的实践与思考。" in text
    assert not any(t.startswith("正文1") for t in text)
    assert any(("甲" * 300 + "……") in t for t in text)


def test_large_compilation_is_built_by_celery_with_progress(cast, django_capture_on_commit_callbacks, monkeypatch):
    compilation = make_compilation(cast)
    outputs = outputs_for(cast, services.COMPILATION_INLINE_MAX + 5)
    services.compilation_add_outputs(compilation=compilation, outputs=outputs)
    seen: list[int] = []
    original = Compilation.objects.filter

    client = cast.client_for("organizer")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("activities:compilation_build", args=[compilation.pk]))
    compilation.refresh_from_db()
    assert compilation.status == Compilation.Status.QUEUED and len(callbacks) == 1
    # While queued, the page polls the progress fragment with htmx.
    fragment = client.get(reverse("activities:compilation_progress", args=[compilation.pk])).content.decode()
    assert 'hx-get="' in fragment and 'hx-trigger="every 2s"' in fragment
    # A second click while it is queued does not queue a second build.
    client.post(reverse("activities:compilation_build", args=[compilation.pk]))
    assert AuditEvent.objects.filter(action="compilation.build_requested").count() == 1

    from activities.services import plans_docx

    real = plans_docx.compilation_document

    def spy(compilation_, outputs_, progress=None):
        def record(done, total):
            progress(done, total)
            seen.append(Compilation.objects.get(pk=compilation.pk).progress)

        return real(compilation_, outputs_, progress=record)

    monkeypatch.setattr(plans_docx, "compilation_document", spy)
    callbacks[0]()  # the worker runs the task (eager in tests)
    compilation.refresh_from_db()
    assert compilation.status == Compilation.Status.READY and compilation.progress == 100
    assert seen == sorted(seen) and 0 < seen[0] < 100 and seen[-1] == 99
    assert original  # the filter is untouched
    fragment = client.get(reverse("activities:compilation_progress", args=[compilation.pk])).content.decode()
    assert "hx-trigger" not in fragment and "compilation-download" in fragment
    # The task runs twice (redelivery): the second run finds nothing queued and does nothing.
    assert services.compilation_build(compilation_id=compilation.pk) is False
    headings = [p.text for p in read_docx(compilation).paragraphs if p.style.name == "Heading 1"]
    assert len(headings) == len(outputs) + 1  # the contents heading, then one per output


def test_failed_build_is_reported(cast, monkeypatch):
    compilation = make_compilation(cast)
    services.compilation_add_outputs(compilation=compilation, outputs=outputs_for(cast, 1))
    from activities.services import plans_docx

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(plans_docx, "compilation_document", broken)
    services.compilation_request_build(compilation=compilation, actor=cast.organizer, now=timezone.now())
    compilation.refresh_from_db()
    assert compilation.status == Compilation.Status.FAILED
    assert "disk full" in compilation.error
    assert not compilation.file


def test_building_an_empty_compilation_is_refused(cast):
    compilation = make_compilation(cast)
    cast.client_for("organizer").post(reverse("activities:compilation_build", args=[compilation.pk]))
    compilation.refresh_from_db()
    assert compilation.status == Compilation.Status.DRAFT


def test_changing_a_built_compilation_marks_it_draft(cast):
    compilation = make_compilation(cast)
    a, b = outputs_for(cast, 2)
    services.compilation_add_outputs(compilation=compilation, outputs=[a])
    services.compilation_request_build(compilation=compilation, actor=cast.organizer, now=timezone.now())
    compilation.refresh_from_db()
    assert compilation.status == Compilation.Status.READY
    services.compilation_add_outputs(compilation=compilation, outputs=[b])
    compilation.refresh_from_db()
    assert compilation.status == Compilation.Status.DRAFT and compilation.file  # old file kept until rebuilt


def test_outputs_of_another_court_cannot_be_added_by_direct_post(cast):
    compilation = make_compilation(cast)
    foreign = make_output(cast.other_court, cast.outsider, title="外院成果")
    response = cast.client_for("organizer").post(
        reverse("activities:compilation_add_outputs", args=[compilation.pk]), {"outputs": [foreign.pk]}, follow=True
    )
    assert response.status_code == 200
    assert not CompilationItem.objects.exists()
    cast.client_for("organizer").post(
        reverse("activities:compilation_add_outputs", args=[compilation.pk]), {"outputs": ["x"]}
    )
    assert not CompilationItem.objects.exists()


def test_bad_move_direction_changes_nothing(cast):
    compilation = make_compilation(cast)
    services.compilation_add_outputs(compilation=compilation, outputs=outputs_for(cast, 2))
    item = compilation.items.order_by("position").last()
    cast.client_for("organizer").post(
        reverse("activities:compilation_item_move", args=[compilation.pk, item.pk]), {"direction": "sideways"}
    )
    assert list(compilation.items.order_by("position").values_list("pk", flat=True))[-1] == item.pk


def test_who_may_see_and_manage_compilations(cast):
    compilation = make_compilation(cast)
    detail = reverse("activities:compilation_detail", args=[compilation.pk])
    assert cast.client_for("member").get(reverse("activities:compilation_list")).status_code == 403
    assert cast.client_for("member").get(detail).status_code == 403
    assert cast.client_for("outsider").get(detail).status_code == 404
    assert cast.client_for("leader").get(detail).status_code == 200
    assert cast.client_for("city_leader").get(detail).status_code == 200
    assert (
        cast.client_for("leader").post(reverse("activities:compilation_build", args=[compilation.pk])).status_code
        == 403
    )
    assert (
        cast.client_for("leader").get(reverse("activities:compilation_download", args=[compilation.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("n", [2, 20])
def test_compilation_detail_queries_do_not_grow(cast, django_assert_max_num_queries, n):
    compilation = make_compilation(cast)
    outputs = outputs_for(cast, n * 2)
    services.compilation_add_outputs(compilation=compilation, outputs=outputs[:n])
    client = cast.client_for("organizer")
    with django_assert_max_num_queries(13):
        assert client.get(reverse("activities:compilation_detail", args=[compilation.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("activities:compilation_list")).status_code == 200


# With the broker down a large build waits in the outbox instead of failing: tests/test_outbox.py.


def test_a_build_whose_worker_died_can_be_restarted(cast):
    compilation = make_compilation(cast)
    services.compilation_add_outputs(compilation=compilation, outputs=outputs_for(cast, 1))
    started = timezone.now()
    Compilation.objects.filter(pk=compilation.pk).update(status=Compilation.Status.BUILDING, updated_at=started)
    with pytest.raises(ValidationError):
        services.compilation_request_build(
            compilation=compilation, actor=cast.organizer, now=started + dt.timedelta(minutes=5)
        )
    services.compilation_request_build(
        compilation=compilation, actor=cast.organizer, now=started + dt.timedelta(minutes=16)
    )
    compilation.refresh_from_db()
    assert compilation.status == Compilation.Status.READY
