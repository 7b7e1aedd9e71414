"""The question bank: questions with options, answers, explanations (解析), tags and difficulty;
Excel template, import with a row-by-row report, and export."""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Court, Member
from members.services import audit

from ...models import Question, QuestionOption, QuestionTag
from ...models.contests import normalize_answer
from . import ActionRefused
from .sheets import Column, ImportReport, RowReport, build_workbook, read_sheet

OPTION_LETTERS = "ABCDEF"
BLANK_MARK = re.compile(r"_{2,}|（\s*）|\(\s*\)")
TAG_SPLIT = re.compile(r"[,，、;；]+")

KIND_WORDS = {
    Question.Kind.SINGLE: {"单选", "单选题", "single", "single choice", "singlechoice"},
    Question.Kind.MULTIPLE: {"多选", "多选题", "multiple", "multiple choice", "multiplechoice"},
    Question.Kind.TRUE_FALSE: {"判断", "判断题", "true/false", "true or false", "trueorfalse", "tf"},
    Question.Kind.FILL: {"填空", "填空题", "fill", "fill in the blank", "fillintheblank", "blank"},
}
TRUE_WORDS = {"对", "正确", "是", "√", "✓", "t", "true", "y", "yes"}
FALSE_WORDS = {"错", "错误", "否", "×", "✗", "x", "f", "false", "n", "no"}
DIFFICULTY_WORDS = {
    "易": 1,
    "简单": 1,
    "easy": 1,
    "1": 1,
    "中": 2,
    "中等": 2,
    "一般": 2,
    "medium": 2,
    "2": 2,
    "难": 3,
    "困难": 3,
    "hard": 3,
    "3": 3,
}
EXPORT_KIND = {
    Question.Kind.SINGLE: "单选",
    Question.Kind.MULTIPLE: "多选",
    Question.Kind.TRUE_FALSE: "判断",
    Question.Kind.FILL: "填空",
}
EXPORT_DIFFICULTY = {1: "易", 2: "中", 3: "难"}

COLUMNS = [
    Column("kind", gettext_lazy("Question type"), 10, required=True, chinese="题型"),
    Column("text", gettext_lazy("Question"), 50, required=True, chinese="题目"),
    Column("option_a", gettext_lazy("Option A"), 20, chinese="选项A"),
    Column("option_b", gettext_lazy("Option B"), 20, chinese="选项B"),
    Column("option_c", gettext_lazy("Option C"), 20, chinese="选项C"),
    Column("option_d", gettext_lazy("Option D"), 20, chinese="选项D"),
    Column("option_e", gettext_lazy("Option E"), 20, chinese="选项E"),
    Column("option_f", gettext_lazy("Option F"), 20, chinese="选项F"),
    Column("answer", gettext_lazy("Answer"), 14, required=True, chinese="答案"),
    Column("explanation", gettext_lazy("Explanation"), 40, chinese="解析"),
    Column("tags", gettext_lazy("Tags"), 24, chinese="标签"),
    Column("difficulty", gettext_lazy("Difficulty"), 10, chinese="难度"),
]


@dataclass
class QuestionData:
    """A question as typed in a form or a spreadsheet row, before it is saved."""

    kind: str
    text: str
    options: list[tuple[str, bool]] = field(default_factory=list)
    answer_text: str = ""
    true_false_answer: bool | None = None
    explanation: str = ""
    tags: list[str] = field(default_factory=list)
    difficulty: int = Question.Difficulty.MEDIUM


def question_problems(data: QuestionData) -> list[str]:
    """What is wrong with a question, in words for the organizer (empty when it is fine)."""
    problems = []
    if not data.text.strip():
        problems.append(_("The question is empty."))
    elif len(data.text) > 2000:
        problems.append(_("The question is longer than 2000 characters."))
    if len(data.explanation) > 3000:
        problems.append(_("The explanation is longer than 3000 characters."))
    if any(len(text) > 300 for text, _correct in data.options):
        problems.append(_("An option is longer than 300 characters."))
    correct = sum(1 for _text, is_correct in data.options if is_correct)
    if data.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        if len(data.options) < 2:
            problems.append(_("A choice question needs at least two options."))
        if len(data.options) > len(OPTION_LETTERS):
            problems.append(_("A question has at most six options."))
        if data.kind == Question.Kind.SINGLE and correct != 1:
            problems.append(_("A single-choice question has exactly one correct option."))
        if data.kind == Question.Kind.MULTIPLE and correct < 2:
            problems.append(_("A multiple-choice question has at least two correct options."))
    elif data.options:
        problems.append(_("Only choice questions take options."))
    if data.kind == Question.Kind.TRUE_FALSE and data.true_false_answer is None:
        problems.append(_("Say whether the statement is true or false."))
    if data.kind == Question.Kind.FILL:
        blanks = Question(kind=data.kind, answer_text=data.answer_text).blanks()
        if not blanks:
            problems.append(_("The answer is missing."))
        elif len(data.answer_text) > 500:
            problems.append(_("The answer is longer than 500 characters."))
        marks = len(BLANK_MARK.findall(data.text))
        if blanks and marks and marks != len(blanks):
            problems.append(
                _("The question has %(marks)s blanks but the answer fills %(blanks)s (separate blanks with ;).")
                % {"marks": marks, "blanks": len(blanks)}
            )
    if len(data.tags) > 10 or any(len(tag) > 40 for tag in data.tags):
        problems.append(_("At most 10 tags of at most 40 characters each."))
    return problems


def _tags_for(court: Court, names: Iterable[str]) -> list[QuestionTag]:
    return [QuestionTag.objects.get_or_create(court=court, name=name)[0] for name in dict.fromkeys(names) if name]


def split_tags(text: str) -> list[str]:
    return [tag.strip() for tag in TAG_SPLIT.split(text or "") if tag.strip()]


def _fields(data: QuestionData) -> dict:
    fill = data.kind == Question.Kind.FILL
    return {
        "kind": data.kind,
        "text": data.text.strip(),
        "answer_text": unicodedata.normalize("NFKC", data.answer_text).strip() if fill else "",
        "true_false_answer": data.true_false_answer if data.kind == Question.Kind.TRUE_FALSE else None,
        "explanation": data.explanation.strip(),
        "difficulty": data.difficulty,
    }


@transaction.atomic
def question_create(*, actor: Member, court: Court, data: QuestionData, audit_it: bool = True) -> Question:
    problems = question_problems(data)
    if problems:
        raise ActionRefused(" ".join(problems))
    question = Question.objects.create(court=court, created_by=actor, **_fields(data))
    QuestionOption.objects.bulk_create(
        QuestionOption(question=question, text=text.strip(), is_correct=is_correct, order=i)
        for i, (text, is_correct) in enumerate(data.options)
    )
    question.tags.set(_tags_for(court, data.tags))
    if audit_it:
        audit(actor=actor.user, action="question.created", target=question)
    return question


@transaction.atomic
def question_update(*, actor: Member, question: Question, data: QuestionData) -> Question:
    problems = question_problems(data)
    if problems:
        raise ActionRefused(" ".join(problems))
    options = list(question.options.all())
    if question.attempt_answers.exists() and (data.kind != question.kind or len(data.options) != len(options)):
        raise ActionRefused(
            _(
                "This question has been answered in quizzes: you may correct its wording, "
                "but to change its type or options add a new question."
            )
        )
    for name, value in _fields(data).items():
        setattr(question, name, value)
    question.save()
    # Options are updated in place so that past attempts keep pointing at the same options.
    for i, (text, is_correct) in enumerate(data.options):
        if i < len(options):
            option = options[i]
            option.text, option.is_correct, option.order = text.strip(), is_correct, i
            option.save()
        else:
            QuestionOption.objects.create(question=question, text=text.strip(), is_correct=is_correct, order=i)
    for option in options[len(data.options) :]:
        option.delete()
    question.tags.set(_tags_for(question.court, data.tags))
    audit(actor=actor.user, action="question.updated", target=question)
    return question


@transaction.atomic
def question_delete(*, actor: Member, question: Question) -> bool:
    """Delete an unused question; retire (hide from new quizzes) one that quizzes have used. True if deleted."""
    used = question.attempt_answers.exists() or question.quizzes.exists()
    if used:
        question.is_active = False
        question.save(update_fields=["is_active", "updated_at"])
        audit(actor=actor.user, action="question.retired", target=question)
        return False
    audit(actor=actor.user, action="question.deleted", target=question, text=question.text[:100])
    question.delete()
    return True


# ---------------------------------------------------------------------------------------------
# Excel


def _kind_from(text: str) -> str | None:
    word = unicodedata.normalize("NFKC", text).strip().casefold()
    for kind, words in KIND_WORDS.items():
        if word in words or word.replace(" ", "") in words:
            return kind
    return None


def parse_row(values: dict[str, str]) -> tuple[QuestionData | None, list[str]]:
    """One spreadsheet row to QuestionData, or the reasons it cannot be one."""
    errors: list[str] = []
    kind = _kind_from(values.get("kind", ""))
    if kind is None:
        errors.append(_("Unknown type “%(value)s”: use 单选, 多选, 判断 or 填空.") % {"value": values.get("kind", "")})
        return None, errors
    option_cells = [values.get(f"option_{letter.lower()}", "") for letter in OPTION_LETTERS]
    last = max((i for i, text in enumerate(option_cells) if text), default=-1)
    option_texts = option_cells[: last + 1]
    if any(not text for text in option_texts):
        errors.append(_("Fill the options from A onwards, without gaps."))
    answer = unicodedata.normalize("NFKC", values.get("answer", "")).strip()
    data = QuestionData(kind=kind, text=values.get("text", ""), explanation=values.get("explanation", ""))
    data.tags = split_tags(values.get("tags", ""))
    difficulty = values.get("difficulty", "").strip().casefold()
    if difficulty:
        if difficulty not in DIFFICULTY_WORDS:
            errors.append(_("Unknown difficulty “%(value)s”: use 易, 中 or 难.") % {"value": values.get("difficulty")})
        else:
            data.difficulty = DIFFICULTY_WORDS[difficulty]
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        letters = [c for c in answer.upper() if c not in " ,，、;；"]
        if not letters:
            errors.append(_("The answer is missing."))
        bad = [c for c in letters if c not in string.ascii_uppercase[: len(option_texts)]]
        if bad:
            errors.append(_("Answer %(letters)s has no option.") % {"letters": "".join(dict.fromkeys(bad))})
        chosen = set(letters)
        data.options = [(text, OPTION_LETTERS[i] in chosen) for i, text in enumerate(option_texts)]
    else:
        if option_texts:
            errors.append(_("Only choice questions take options."))
        if kind == Question.Kind.TRUE_FALSE:
            word = answer.casefold()
            if word in TRUE_WORDS:
                data.true_false_answer = True
            elif word in FALSE_WORDS:
                data.true_false_answer = False
            else:
                errors.append(_("The answer to a true-or-false question is 对 or 错."))
        else:
            data.answer_text = answer
    if not errors:
        errors.extend(question_problems(data))
    return (data if not errors else None), errors


def import_report(source, *, court: Court) -> ImportReport:
    """Check a workbook row by row, including duplicates in the file and in the bank."""
    report = ImportReport()
    rows = read_sheet(source, COLUMNS, report)
    existing = {
        (kind, normalize_answer(text))
        for kind, text in Question.objects.filter(court=court).values_list("kind", "text")
    }
    seen: dict[tuple[str, str], int] = {}
    for number, values in rows:
        data, errors = parse_row(values)
        if data is not None:
            key = (data.kind, normalize_answer(data.text))
            if key in seen:
                errors.append(_("The same question as row %(row)s.") % {"row": seen[key]})
            elif key in existing:
                errors.append(_("This question is already in the bank."))
            seen.setdefault(key, number)
        report.rows.append(RowReport(number=number, values=values, errors=errors, parsed=data if not errors else None))
    return report


@transaction.atomic
def questions_import(*, actor: Member, court: Court, report: ImportReport, only_valid: bool) -> int:
    """Write the checked rows: all of them when every row is valid, or only the valid ones when asked."""
    if report.file_errors:
        raise ActionRefused(_("The file has errors; nothing was imported."))
    if report.invalid and not only_valid:
        raise ActionRefused(_("Some rows have errors; nothing was imported. Fix them, or import only the valid rows."))
    created = [question_create(actor=actor, court=court, data=row.parsed, audit_it=False) for row in report.valid]
    audit(
        actor=actor.user,
        action="question.imported",
        target=court,
        created=len(created),
        skipped_rows=[row.number for row in report.invalid],
    )
    return len(created)


def template_workbook():
    notes = [
        _("Type: 单选 (single choice), 多选 (multiple choice), 判断 (true or false), 填空 (fill in the blank)."),
        _("Choice questions: options in 选项A onwards; the answer is the letters, e.g. B or ACD."),
        _("True or false: no options; the answer is 对 or 错."),
        _(
            "Fill in the blank: mark each blank with ____ in the question; the answer gives each blank in turn, "
            "separated by ;, with accepted alternatives separated by |, e.g. 人民|群众;公平正义."
        ),
        _("Tags are separated by 、 or commas; difficulty is 易, 中 or 难 (中 when empty)."),
        _("Rows with errors are reported one by one; nothing is written until you confirm."),
    ]
    examples = [
        [
            "单选",
            "《中华人民共和国民法典》自哪一年起施行？",
            "2019年",
            "2020年",
            "2021年",
            "2022年",
            "",
            "",
            "C",
            "民法典自2021年1月1日起施行。",
            "民法典",
            "易",
        ],
        [
            "多选",
            "下列属于人民法院审判组织的有：",
            "独任庭",
            "合议庭",
            "审判委员会",
            "执行局",
            "",
            "",
            "ABC",
            "",
            "法律知识",
            "中",
        ],
        [
            "判断",
            "习近平法治思想是全面依法治国的根本遵循和行动指南。",
            "",
            "",
            "",
            "",
            "",
            "",
            "对",
            "",
            "习近平法治思想",
            "易",
        ],
        [
            "填空",
            "党的二十大报告提出，坚持全面依法治国，推进____中国建设。",
            "",
            "",
            "",
            "",
            "",
            "",
            "法治",
            "",
            "党的二十大精神",
            "中",
        ],
    ]
    return build_workbook(COLUMNS, [], title=_("Questions"), notes=notes, examples=examples)


def export_rows(questions: Iterable[Question]) -> list[list]:
    rows = []
    for question in questions:
        options = list(question.options.all())
        cells = [option.text for option in options][: len(OPTION_LETTERS)]
        cells += [""] * (len(OPTION_LETTERS) - len(cells))
        if question.is_choice:
            answer = "".join(OPTION_LETTERS[i] for i, option in enumerate(options[:6]) if option.is_correct)
        elif question.kind == Question.Kind.TRUE_FALSE:
            answer = "对" if question.true_false_answer else "错"
        else:
            answer = question.answer_text
        rows.append(
            [
                EXPORT_KIND[question.kind],
                question.text,
                *cells,
                answer,
                question.explanation,
                "、".join(tag.name for tag in question.tags.all()),
                EXPORT_DIFFICULTY.get(question.difficulty, "中"),
            ]
        )
    return rows


def export_workbook(questions: Iterable[Question]):
    return build_workbook(COLUMNS, export_rows(questions), title=_("Questions"))
