"""Forms of the contests family: contests, entries, votes, judging, awards, questions, quizzes, assessments."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courtlearn.tabular import TableFileError, read_table
from courtlearn.uploads import DocumentUploadField
from courtlearn.widgets import DateTime24Widget
from members.models import Court, Department, Member, PartyBranch, StudyGroup, unit_ordering

from ..models import Assessment, Award, Contest, Entry, Question, QuestionTag, Quiz, Session
from ..services.contests.assessments import result_problems
from ..services.contests.questions import OPTION_LETTERS, QuestionData, question_problems, split_tags

# A date picker and a 24-hour time box: `type="datetime-local"` may show 08:30 AM in a browser.
# Posted as <name>_date and <name>_time; the widget hands the DateTimeField "YYYY-MM-DD HH:MM".
DATETIME_WIDGET = DateTime24Widget()
# Also what half a date-time (a date without a time, or the reverse) is told: never midnight.
DATETIME_ERRORS = {"invalid": _("Enter a date and a 24-hour time, e.g. 2026-12-08 and 20:00.")}
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def court_members(court: Court) -> QuerySet[Member]:
    return (
        Member.objects.filter(court=court, is_active=True)
        .select_related("department")
        .order_by(*unit_ordering("department__", department=True), "name")
    )


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.name}（{obj.department.name}）" if obj.department_id else obj.name


class MemberMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.name}（{obj.department.name}）" if obj.department_id else obj.name


class AudienceFormMixin:
    """Limit the audience choices to the court's departments and top-level study groups."""

    def limit_audience(self, court: Court) -> None:
        self.fields["audience_departments"].queryset = Department.objects.filter(court=court)
        self.fields["audience_groups"].queryset = StudyGroup.objects.filter(court=court)

    def audience(self) -> dict:
        return {
            "departments": self.cleaned_data.pop("audience_departments", []),
            "groups": self.cleaned_data.pop("audience_groups", []),
        }


# ---------------------------------------------------------------------------------------------
# Contests


class ContestForm(AudienceFormMixin, forms.ModelForm):
    class Meta:
        model = Contest
        fields = [
            "title",
            "kind",
            "description",
            "audience_departments",
            "audience_groups",
            "session",
            "voting_enabled",
            "voters_must_attend",
            "votes_per_voter",
            "vote_opens_at",
            "vote_closes_at",
            "results_visibility",
            "judging_enabled",
            "audience_weight",
            "judges_per_entry",
            "cross_review",
            "unit_kind",
            "entries_by_unit",
            "drop_extremes",
            "tie_break",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "vote_opens_at": DATETIME_WIDGET,
            "vote_closes_at": DATETIME_WIDGET,
            "audience_departments": forms.CheckboxSelectMultiple,
            "audience_groups": forms.CheckboxSelectMultiple,
        }
        error_messages = {"vote_opens_at": DATETIME_ERRORS, "vote_closes_at": DATETIME_ERRORS}

    def __init__(self, *args, court: Court, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_audience(court)
        self.fields["session"].queryset = linkable_sessions(court)

    def clean(self):
        data = super().clean()
        if data.get("voters_must_attend") and not data.get("session"):
            self.add_error("session", _("Choose the session whose attendees vote."))
        voting, judging = data.get("voting_enabled"), data.get("judging_enabled")
        if not voting and not judging:
            raise forms.ValidationError(_("A contest is decided by an audience vote, by judges, or by both."))
        if voting:
            opens, closes = data.get("vote_opens_at"), data.get("vote_closes_at")
            if not opens:
                self.add_error("vote_opens_at", _("Set when voting opens."))
            if not closes:
                self.add_error("vote_closes_at", _("Set when voting closes."))
            if opens and closes and opens >= closes:
                self.add_error("vote_closes_at", _("Voting must close after it opens."))
        if data.get("unit_kind") == Contest.UnitKind.GROUP and not data.get("entries_by_unit"):
            self.add_error("entries_by_unit", _("Study groups take part as units: tick that units enter."))
        if voting and not judging:
            data["audience_weight"] = 100
        elif judging and not voting:
            data["audience_weight"] = 0
        return data

    def fields_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("audience_departments", None)
        data.pop("audience_groups", None)
        return data


CRITERION_LINE = re.compile(r"^(?P<name>.+?)[\s:：]+(?P<points>\d{1,4})\s*(分)?$")


class CriteriaForm(forms.Form):
    criteria = forms.CharField(
        label=pgettext_lazy("judging", "Criteria"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line: the name and the points, e.g. 内容 40."),
    )

    def clean_criteria(self) -> list[tuple[str, int]]:
        parsed = []
        for number, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            match = CRITERION_LINE.match(line)
            if not match:
                raise forms.ValidationError(
                    _("Line %(n)s: write the name, then the points, e.g. 内容 40.") % {"n": number}
                )
            name, points = match["name"].strip(), int(match["points"])
            if len(name) > 50 or not 1 <= points <= 1000:
                raise forms.ValidationError(
                    _("Line %(n)s: a name of at most 50 characters and 1 to 1000 points.") % {"n": number}
                )
            parsed.append((name, points))
        if not parsed:
            raise forms.ValidationError(_("Give at least one criterion."))
        if len({name for name, _points in parsed}) != len(parsed):
            raise forms.ValidationError(_("Each criterion needs its own name."))
        return parsed


class JudgesForm(forms.Form):
    judges = MemberMultipleChoiceField(
        label=_("Judges"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )

    def __init__(self, *args, court: Court, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judges"].queryset = court_members(court)


def linkable_sessions(court: Court):
    """Sessions of the court a contest or an entry can point to: the last year's and the coming ones."""
    since = timezone.now() - dt.timedelta(days=365)
    return Session.objects.filter(court=court, start__gte=since).order_by("-start")


class EntryForm(forms.Form):
    member = MemberChoiceField(label=_("Entrant"), queryset=Member.objects.none(), empty_label=_("Choose…"))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Department.objects.none(), empty_label=_("Choose…"))
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("The talk's title, or the work's."))
    session = forms.ModelChoiceField(
        label=_("Session where they spoke"), queryset=Session.objects.none(), required=False,
        help_text=_("For a speech: the weekly share or session where the talk was given."),
    )  # fmt: skip
    text = forms.CharField(label=_("Text"), required=False, max_length=30000, widget=forms.Textarea(attrs={"rows": 8}))
    file = DocumentUploadField(label=_("File"), required=False, allowed=("pdf", "docx", "pptx", "ole"))
    clear_file = forms.BooleanField(label=_("Remove the current file"), required=False)

    def __init__(
        self,
        *args,
        court: Court | None = None,
        choose_member: bool = False,
        editing: bool = False,
        unit_kind: str | None = None,
        own_units=(),
        **kwargs,
    ):
        """`unit_kind` when units enter: the title is the project's, the organizer picks the unit and
        may name a contact; a member puts forward their own unit's project, and picks which of
        `own_units` when they are in several study groups."""
        super().__init__(*args, **kwargs)
        if court is not None:
            self.fields["session"].queryset = linkable_sessions(court)
        if choose_member and court is not None:
            self.fields["member"].queryset = court_members(court)
        else:
            del self.fields["member"]
        groups = unit_kind == Contest.UnitKind.GROUP
        if unit_kind and choose_member and court is not None and not editing:
            model = {Contest.UnitKind.BRANCH: PartyBranch, Contest.UnitKind.GROUP: StudyGroup}.get(
                unit_kind, Department
            )
            self.fields["unit"].queryset = model.objects.filter(court=court)
            self.fields["unit"].label = Contest.UnitKind(unit_kind).label
            self.fields["member"].label = _("Contact")
            self.fields["member"].required = False
            self.fields["member"].empty_label = _("The group's leader") if groups else _("The unit's secretary or head")
            self.order_fields(["unit", "member"])
        elif groups and own_units and not editing:
            self.fields["unit"].queryset = StudyGroup.objects.filter(pk__in=[g.pk for g in own_units])
            self.fields["unit"].label = Contest.UnitKind(unit_kind).label
            if len(own_units) == 1:
                self.fields["unit"].initial = own_units[0].pk
            self.order_fields(["unit"])
        else:
            del self.fields["unit"]
        if unit_kind:
            self.fields["title"].label = _("Project title")
            self.fields["title"].help_text = _("As the unit wrote it, e.g. 打造学习型党支部，助推审判质效提升.")
            del self.fields["session"]
        if not editing:
            del self.fields["clear_file"]


class PaperBallotForm(forms.Form):
    voter = MemberChoiceField(label=_("Voter"), queryset=Member.objects.none(), empty_label=_("Choose…"))
    entries = forms.ModelMultipleChoiceField(
        label=_("Voted for"), queryset=Entry.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("Why this ballot is on paper, e.g. the voter had no phone at hand."),
    )

    def __init__(self, *args, contest: Contest, voters: QuerySet[Member], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voter"].queryset = voters.select_related("department").order_by(
            *unit_ordering("department__", department=True), "name"
        )
        self.fields["entries"].queryset = contest.entries.select_related("member", "branch", "department", "group")
        self.fields["entries"].label_from_instance = lambda e: f"{e.number}. {e.title}（{e.entrant_name}）"

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for entering a paper ballot."))
        return reason


class ScoreForm(forms.Form):
    """One field per criterion (0 to its points) and a remark."""

    remark = forms.CharField(
        label=_("Remark"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, criteria, initial_points: dict[int, Decimal] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        initial_points = initial_points or {}
        for criterion in self.criteria:
            self.fields[f"c{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name}（{criterion.max_points}）",
                min_value=0,
                max_value=criterion.max_points,
                max_digits=6,
                decimal_places=2,
                initial=initial_points.get(criterion.pk),
                widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
            )
        self.order_fields([f"c{c.pk}" for c in self.criteria] + ["remark"])

    def points(self) -> dict[int, Decimal]:
        return {criterion.pk: self.cleaned_data[f"c{criterion.pk}"] for criterion in self.criteria}


def award_kinds_for(contest: Contest) -> list[tuple[str, str]]:
    """The awards that fit the contest: the 论坛之星 is the audience's choice, so only with a vote."""
    return [
        (value, label)
        for value, label in Award.Kind.choices
        if value != Award.Kind.FORUM_STAR or contest.voting_enabled
    ]


class AwardForm(forms.Form):
    entry = forms.ModelChoiceField(label=_("Entry"), queryset=Entry.objects.none(), empty_label=_("Choose…"))
    kind = forms.ChoiceField(label=_("Award"), choices=Award.Kind.choices)
    custom_name = forms.CharField(
        label=_("Name of the award"), max_length=40, required=False, help_text=_("For other awards only.")
    )

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = contest.entries.select_related("member", "branch", "department", "group")
        self.fields["entry"].label_from_instance = lambda e: f"{e.number}. {e.title}（{e.entrant_name}）"
        # Nothing chosen for the organizer: an award is a decision, not a default.
        self.fields["kind"].choices = [("", _("Choose…")), *award_kinds_for(contest)]

    def clean(self):
        data = super().clean()
        if data.get("kind") == Award.Kind.CUSTOM and not data.get("custom_name", "").strip():
            self.add_error("custom_name", _("Name the award."))
        return data


class AwardsFromRankingForm(forms.Form):
    first = forms.IntegerField(label=_("First prizes"), min_value=0, max_value=50, initial=1)
    second = forms.IntegerField(label=_("Second prizes"), min_value=0, max_value=50, initial=2)
    third = forms.IntegerField(label=_("Third prizes"), min_value=0, max_value=50, initial=3)
    excellence = forms.IntegerField(label=_("Excellence awards"), min_value=0, max_value=100, initial=0)
    forum_star = forms.BooleanField(label=_("Forum star (most audience votes)"), required=False, initial=False)

    def __init__(self, *args, contest: Contest | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if contest is not None and not contest.voting_enabled:
            del self.fields["forum_star"]  # judges only: no audience, no audience's choice


# ---------------------------------------------------------------------------------------------
# Question bank


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Question type"), choices=Question.Kind.choices)
    text = forms.CharField(
        label=_("Question"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For fill in the blank, mark each blank with ____."),
    )
    option_a = forms.CharField(label=_("Option A"), max_length=300, required=False)
    option_b = forms.CharField(label=_("Option B"), max_length=300, required=False)
    option_c = forms.CharField(label=_("Option C"), max_length=300, required=False)
    option_d = forms.CharField(label=_("Option D"), max_length=300, required=False)
    option_e = forms.CharField(label=_("Option E"), max_length=300, required=False)
    option_f = forms.CharField(label=_("Option F"), max_length=300, required=False)
    correct = forms.MultipleChoiceField(
        label=_("Correct options"),
        choices=[(letter, letter) for letter in OPTION_LETTERS],
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-inline"}),
    )
    true_false_answer = forms.ChoiceField(
        label=_("The statement is"),
        choices=[("", "—"), ("true", _("true")), ("false", _("false"))],
        required=False,
    )
    answer_text = forms.CharField(
        label=_("Answer (fill in the blank)"),
        max_length=500,
        required=False,
        help_text=_("Blanks in turn, separated by ;  accepted alternatives separated by |, e.g. 人民|群众;公平正义."),
    )
    explanation = forms.CharField(
        label=_("Explanation"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    tags = forms.CharField(
        label=_("Tags"),
        max_length=400,
        required=False,
        help_text=_("Separated by 、 or commas, e.g. 民法典、党的二十大精神."),
    )
    difficulty = forms.TypedChoiceField(
        label=_("Difficulty"), choices=Question.Difficulty.choices, coerce=int, initial=Question.Difficulty.MEDIUM
    )

    @classmethod
    def initial_for(cls, question: Question) -> dict:
        options = list(question.options.all())
        initial = {
            "kind": question.kind,
            "text": question.text,
            "answer_text": question.answer_text,
            "explanation": question.explanation,
            "difficulty": question.difficulty,
            "tags": "、".join(tag.name for tag in question.tags.all()),
            "correct": [OPTION_LETTERS[i] for i, option in enumerate(options[:6]) if option.is_correct],
            "true_false_answer": {True: "true", False: "false"}.get(question.true_false_answer, ""),
        }
        for i, option in enumerate(options[:6]):
            initial[f"option_{OPTION_LETTERS[i].lower()}"] = option.text
        return initial

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        texts = [data.get(f"option_{letter.lower()}", "").strip() for letter in OPTION_LETTERS]
        last = max((i for i, text in enumerate(texts) if text), default=-1)
        texts = texts[: last + 1]
        kind = data["kind"]
        if any(not text for text in texts):
            raise forms.ValidationError(_("Fill the options from A onwards, without gaps."))
        correct = set(data.get("correct") or [])
        is_choice = kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE)
        if is_choice and any(letter not in OPTION_LETTERS[: len(texts)] for letter in correct):
            raise forms.ValidationError(_("A correct option is marked that has no text."))
        self.question_data = QuestionData(
            kind=kind,
            text=data["text"],
            options=[(text, OPTION_LETTERS[i] in correct) for i, text in enumerate(texts)] if is_choice else [],
            answer_text=data.get("answer_text", "") if kind == Question.Kind.FILL else "",
            true_false_answer={"true": True, "false": False}.get(data.get("true_false_answer") or ""),
            explanation=data.get("explanation", ""),
            tags=split_tags(data.get("tags", "")),
            difficulty=data["difficulty"],
        )
        if not is_choice and texts:
            raise forms.ValidationError(_("Only choice questions take options; clear the options."))
        problems = question_problems(self.question_data)
        if problems:
            raise forms.ValidationError(problems)
        return data


class SpreadsheetUploadForm(forms.Form):
    """A sheet to import: .xlsx or CSV (UTF-8 or GBK), read as every import reads (courtlearn.tabular).

    A file that is no table (an old .xls, a Word document, a picture, an empty file) is refused
    here with a sentence that says what to do.
    """

    file = forms.FileField(
        label=_("Excel file (.xlsx) or CSV"),
        allow_empty_file=True,  # an empty file gets the reader's message, which says what to do
        help_text=_("Use the template; at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            read_table(upload, max_rows=1)
        except TableFileError as exc:
            raise forms.ValidationError(exc.message, code="table") from None
        upload.seek(0)
        return upload


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    mode = forms.ChoiceField(choices=[("all", "all"), ("valid", "valid")], widget=forms.HiddenInput)


# ---------------------------------------------------------------------------------------------
# Quizzes


class QuizForm(AudienceFormMixin, forms.ModelForm):
    class Meta:
        model = Quiz
        fields = [
            "title",
            "number",
            "description",
            "audience_departments",
            "audience_groups",
            "opens_at",
            "closes_at",
            "time_limit_minutes",
            "selection",
            "shuffle_options",
            "shuffle_questions",
            "attempts_allowed",
            "pass_mark",
            "reveal",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "opens_at": DATETIME_WIDGET,
            "closes_at": DATETIME_WIDGET,
            "audience_departments": forms.CheckboxSelectMultiple,
            "audience_groups": forms.CheckboxSelectMultiple,
        }
        error_messages = {"opens_at": DATETIME_ERRORS, "closes_at": DATETIME_ERRORS}

    def __init__(self, *args, court: Court, **kwargs):
        super().__init__(*args, **kwargs)
        self.court = court
        self.limit_audience(court)

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and opens >= closes:
            self.add_error("closes_at", _("The quiz must close after it opens."))
        number = data.get("number")
        if number is not None:
            clash = Quiz.objects.filter(court=self.court, number=number).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("number", _("Round %(n)s exists already.") % {"n": number})
        return data

    def fields_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("audience_departments", None)
        data.pop("audience_groups", None)
        return data


class QuizQuestionsForm(forms.Form):
    questions = forms.ModelMultipleChoiceField(
        label=_("Questions"), queryset=Question.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, queryset: QuerySet[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].queryset = queryset


class DrawRuleForm(forms.Form):
    tag = forms.ModelChoiceField(
        label=_("Tag"), queryset=QuestionTag.objects.none(), required=False, empty_label=_("any tag")
    )
    count = forms.IntegerField(label=_("Count"), min_value=1, max_value=100, required=False)

    def __init__(self, *args, court: Court, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].queryset = QuestionTag.objects.filter(court=court)


DrawRuleFormSet = forms.formset_factory(DrawRuleForm, extra=3, max_num=10, absolute_max=10)


# ---------------------------------------------------------------------------------------------
# Assessments


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = [
            "title",
            "kind",
            "held_on",
            "description",
            "max_score",
            "pass_score",
            "pass_speed",
            "pass_accuracy",
        ]
        widgets = {"held_on": DATE_WIDGET, "description": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        max_score, pass_score = data.get("max_score"), data.get("pass_score")
        if max_score is not None and pass_score is not None and not 0 <= pass_score <= max_score:
            self.add_error("pass_score", _("The pass score must be between 0 and the full marks."))
        return data


class AssessmentResultForm(forms.Form):
    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none(), empty_label=_("Choose…"))
    score = forms.DecimalField(label=_("Score"), required=False, max_digits=6, decimal_places=2, min_value=0)
    chars_per_minute = forms.IntegerField(label=_("Characters per minute"), required=False, min_value=0)
    accuracy = forms.DecimalField(
        label=_("Accuracy (%)"), required=False, max_digits=5, decimal_places=2, min_value=0, max_value=100
    )
    remark = forms.CharField(label=_("Remark"), max_length=200, required=False)

    def __init__(self, *args, assessment: Assessment, members: QuerySet[Member], fixed_member: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.fields["member"].queryset = members.select_related("department").order_by(
            *unit_ordering("department__", department=True), "name"
        )
        if fixed_member:
            self.fields["member"].disabled = True
        if assessment.is_typing:
            self.fields["score"].help_text = _("Optional for typing tests.")
        else:
            del self.fields["chars_per_minute"]
            del self.fields["accuracy"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        problems = result_problems(
            self.assessment,
            score=data.get("score"),
            chars_per_minute=data.get("chars_per_minute"),
            accuracy=data.get("accuracy"),
        )
        if problems:
            raise forms.ValidationError(problems)
        return data
