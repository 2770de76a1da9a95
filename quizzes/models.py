"""Question banks, quizzes and attempts.

Attempts are append-only records: an attempt's questions point at the question *version* they
were asked in; answers are added, never edited; grades are added as new rows (the first grading,
a regrade, an override), and the latest grade row is the attempt's grade."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, LockableMixin, Orderable, RevisionMixin, WorkflowMixin
from wagtail.search import index

from .admin_forms import QuestionAdminForm
from .fields import QuestionHTMLField
from .question_html import html_to_plain
from .specs import QuestionType, Scoring


class QuestionCategory(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("description")]

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class QuestionTag(TaggedItemBase):
    content_object = ParentalKey("Question", on_delete=models.CASCADE, related_name="tagged_items")


class Question(index.Indexed, WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel):
    """The editable question, reviewed like a quiz (issue 14 item 4). Publishing it (directly, or a
    reviewer's approval) stores a new QuestionVersion when the content changed
    (quizzes.receivers); attempts keep the version they were asked in, and learners draw only the
    current version of a live question. A trainer's change to a question a live quiz asks waits in
    a revision until a reviewer publishes it; any other question is published on save
    (quizzes.wagtail_hooks)."""

    category = models.ForeignKey(
        QuestionCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="questions"
    )
    name = models.CharField(_("name"), max_length=200, blank=True, help_text=_("A short title for the bank."))
    qtype = models.CharField(
        _("type"),
        max_length=16,
        choices=[
            (QuestionType.SINGLE, _("Single choice")),
            (QuestionType.MULTIPLE, _("Multiple response")),
            (QuestionType.TRUE_FALSE, _("True/false")),
            (QuestionType.FILL_BLANK, _("Fill in the blank")),
            (QuestionType.ORDERING, _("Ordering")),
            (QuestionType.ESSAY, _("Essay")),
            (QuestionType.NUMERICAL, _("Numerical")),
            (QuestionType.DESCRIPTION, _("Description (text only)")),
            (QuestionType.MATCHING, _("Matching")),
        ],
        default=QuestionType.SINGLE,
    )
    # Sanitised HTML (quizzes.question_html), like general_feedback and the choices' text and feedback.
    stem = QuestionHTMLField(_("question"))
    mark = models.DecimalField(
        _("mark"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        # 0 only for a description (clean); every other type needs a positive mark.
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000"))],
    )
    scoring = models.CharField(
        _("scoring"),
        max_length=20,
        choices=[
            (Scoring.ALL_OR_NOTHING, _("All or nothing")),
            (Scoring.PARTIAL, _("Partial credit")),
        ],
        default=Scoring.ALL_OR_NOTHING,
        help_text=_("For multiple response and ordering questions."),
    )
    accepted_answers = models.TextField(
        _("accepted answers"), blank=True, help_text=_("Fill in the blank: one accepted answer per line.")
    )
    case_sensitive = models.BooleanField(_("case-sensitive"), default=False)
    general_feedback = QuestionHTMLField(_("general feedback"), blank=True)
    # Essay (issue 14): for the trainer who marks it, never shown to learners.
    grader_info = QuestionHTMLField(
        _("information for graders"), blank=True, help_text=_("Essay: shown to the trainer who marks the answer.")
    )
    response_max_length = models.PositiveIntegerField(
        _("longest answer (characters)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10000)],
        help_text=_("Essay: empty allows up to 10,000 characters."),
    )
    tags = ClusterTaggableManager(through=QuestionTag, blank=True, verbose_name=_("tags"))
    current_version = models.ForeignKey(
        "QuestionVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldRowPanel([FieldPanel("category"), FieldPanel("qtype")]),
        FieldPanel("name"),
        FieldPanel("tags"),
        FieldPanel("stem"),
        FieldRowPanel([FieldPanel("mark"), FieldPanel("scoring")]),
        InlinePanel(
            "choices",
            label=_("Choices (true/false: “True” first, then “False”; ordering: items in the correct order)"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("accepted_answers"),
                FieldPanel("case_sensitive"),
                InlinePanel(
                    "answers",
                    label=_(
                        "Graded answers (fill in the blank: tried in order after the accepted answers above; "
                        "numerical: a number or * with its tolerance; the first that matches wins)"
                    ),
                ),
            ],
            heading=_("Fill in the blank and numerical"),
        ),
        MultiFieldPanel(
            [FieldPanel("response_max_length"), FieldPanel("grader_info")],
            heading=_("Essay"),
        ),
        InlinePanel(
            "match_pairs",
            heading=_("Matching"),
            label=_("Sub-question and its answer (no sub-question text: an extra wrong answer)"),
            help_text=_(
                "At least 2 sub-questions and 3 answers, as in Moodle. Learners choose each sub-question's "
                "answer from all the answers, shuffled."
            ),
        ),
        FieldPanel("general_feedback"),
    ]
    base_form_class = QuestionAdminForm
    search_fields = [
        index.SearchField("stem"),
        index.SearchField("name"),
        index.FilterField("category_id"),
        index.FilterField("id"),  # the chooser lists search results newest first
    ]

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.name or html_to_plain(self.stem)[:60]

    def with_content_json(self, content):
        # The version learners get belongs to the question as a whole, not to a revision: a
        # revision saved before the last publication holds an older one, and publishing it must
        # not put that back (the publication then stores its own version).
        obj = super().with_content_json(content)
        obj.current_version_id = self.current_version_id
        return obj

    @property
    def has_live_version(self) -> bool:
        """Whether learners can be asked this question: it is live and has a published version."""
        return self.live and self.current_version_id is not None

    def clean(self):
        super().clean()
        if self.qtype == QuestionType.DESCRIPTION:
            self.mark = Decimal("0")  # text only, worth nothing, as Moodle's description
        elif self.mark is not None:
            try:
                MinValueValidator(Decimal("0.01"))(self.mark)  # Django's own (translated) message
            except ValidationError as error:
                raise ValidationError({"mark": error.messages}) from None


class QuestionChoice(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = QuestionHTMLField(_("text"))
    correct = models.BooleanField(_("correct"), default=False)
    feedback = QuestionHTMLField(_("feedback"), blank=True)
    penalty = models.DecimalField(
        _("penalty"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Multiple response, partial credit: share of the mark this wrong choice subtracts."),
    )
    # Moodle's answer grade (-1..1 of the mark; Moodle stores 7 decimal places). Empty: derived from
    # "correct" and "penalty" (quizzes.grading.choice_fraction).
    fraction = models.DecimalField(
        _("grade"),
        max_digits=8,
        decimal_places=7,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-1")), MaxValueValidator(Decimal("1"))],
        help_text=_(
            "Optional, as in Moodle: this choice's share of the mark, from -1 to 1 (0.5 = 50%). Single choice: "
            "the grade for choosing it. Multiple response with partial credit: the chosen choices' grades are "
            "added, between 0 and full marks. Empty: 1 for a correct choice, as before."
        ),
    )

    panels = [
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("correct"), FieldPanel("fraction"), FieldPanel("penalty")]),
        FieldPanel("feedback"),
    ]

    def __str__(self) -> str:
        return html_to_plain(self.text)


class QuestionAnswer(Orderable):
    """A graded accepted answer of a fill-in-the-blank question, as Moodle's shortanswer answer, or an
    answer of a numerical question (a number or `*` with its tolerance, as Moodle's numerical answer)
    (issue 14): `*` matches anything, its grade is a share of the mark, its feedback is shown when it
    is the answer that matched. Questions with none grade as before (quizzes.grading.short_answer_match)."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.CharField(
        _("answer"),
        max_length=500,
        help_text=_(
            "* matches any characters, so * alone catches every other answer. Numerical: a number, or * for any number."
        ),
    )
    fraction = models.DecimalField(
        _("grade"),
        max_digits=8,
        decimal_places=7,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Share of the mark, from 0 to 1 (0.5 = 50%)."),
    )
    feedback = QuestionHTMLField(_("feedback"), blank=True)
    # Numerical questions only (issue 14): Moodle's absolute ("nominal") tolerance. Empty: exact.
    tolerance = models.DecimalField(
        _("tolerance (±)"),
        max_digits=20,
        decimal_places=10,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Numerical: the answer counts within this much either side (0.01: 3.14 accepts 3.13 to 3.15)."),
    )

    panels = [
        FieldRowPanel([FieldPanel("text"), FieldPanel("fraction"), FieldPanel("tolerance")]),
        FieldPanel("feedback"),
    ]

    def __str__(self) -> str:
        return self.text


class QuestionMatchPair(Orderable):
    """A pair of a matching question, as Moodle's qtype_match subquestion (issue 14): a sub-question
    (formatted text) and its answer (plain text, as Moodle's). No sub-question text: the answer is an
    extra, wrong one offered to every sub-question."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="match_pairs")
    text = QuestionHTMLField(_("sub-question"), blank=True)
    answer = models.CharField(_("answer"), max_length=500, blank=True)

    panels = [FieldPanel("text"), FieldPanel("answer")]

    def __str__(self) -> str:
        return f"{html_to_plain(self.text)} → {self.answer}"


class QuestionVersion(models.Model):
    """An immutable snapshot of a question (a serialised QuestionSpec)."""

    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    spec = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("question version")
        constraints = [models.UniqueConstraint(fields=["question", "number"], name="questionversion_unique_number")]

    def __str__(self) -> str:
        return f"{self.question} v{self.number}"


class Quiz(index.Indexed, WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel):
    """A quiz goes through the same review workflow as course pages (issue 14 item 4): edits to a
    live quiz are saved as revisions, and only publishing one (a reviewer's approval) writes it to
    this row and its slots. So the row is always the live version while the quiz is live, and what
    learners read (attempt_start, the step page) is this row of a live quiz."""

    class GradingMethod(models.TextChoices):
        HIGHEST = "highest", _("Highest grade")
        LAST = "last", _("Last attempt")
        FIRST = "first", _("First attempt")
        AVERAGE = "average", _("Average of attempts")

    class Layout(models.TextChoices):
        ONE_PER_PAGE = "one_per_page", _("One question per screen")
        ALL_ON_ONE = "all_on_one", _("All questions on one page")

    class ReviewWhen(models.TextChoices):
        IMMEDIATELY = "immediately", _("Immediately after submitting")
        AFTER_PASSING = "after_passing", _("Once the learner has passed")
        AFTER_LAST_ATTEMPT = "after_last_attempt", _("After the last allowed attempt")

    class TimeoutPolicy(models.TextChoices):
        # A learner who leaves the page (closes the tab, loses the connection) may come back to the
        # open attempt until its deadline under either policy; the policy decides what an attempt
        # not submitted by then counts as.
        GRADE_SAVED = "grade_saved", _("Grade the answers saved so far")
        ZERO = "zero", _("Count as a failed attempt with zero")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("instructions"), blank=True)
    pass_mark_percent = models.DecimalField(
        _("pass mark (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("60"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    attempts_allowed = models.PositiveIntegerField(_("attempts allowed"), default=0, help_text=_("0 means unlimited."))
    grading_method = models.CharField(
        _("grading method"), max_length=10, choices=GradingMethod.choices, default=GradingMethod.HIGHEST
    )
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=True)
    layout = models.CharField(_("layout"), max_length=20, choices=Layout.choices, default=Layout.ALL_ON_ONE)
    review_show_responses = models.BooleanField(_("review shows the learner's answers"), default=True)
    review_show_correct = models.BooleanField(_("review shows the correct answers"), default=True)
    review_show_feedback = models.BooleanField(_("review shows feedback"), default=True)
    review_when = models.CharField(
        _("review available"), max_length=20, choices=ReviewWhen.choices, default=ReviewWhen.IMMEDIATELY
    )
    # The exam policy (quizzes.sittings): windows and the make-up sitting, checked by attempt_start.
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True, help_text=_("Empty: open now."))
    closes_at = models.DateTimeField(
        _("closes at"),
        null=True,
        blank=True,
        help_text=_("Empty: never closes. An attempt still open at this moment ends then, as at its time limit."),
    )
    makeup_attempts = models.PositiveIntegerField(
        _("make-up attempts"),
        default=0,
        validators=[MaxValueValidator(20)],
        help_text=_("0: no make-up sitting. Learners who failed may take this many attempts in the make-up window."),
    )
    makeup_opens_at = models.DateTimeField(_("make-up opens at"), null=True, blank=True)
    makeup_closes_at = models.DateTimeField(_("make-up closes at"), null=True, blank=True)
    timeout_policy = models.CharField(
        _("when time runs out"),
        max_length=12,
        choices=TimeoutPolicy.choices,
        default=TimeoutPolicy.GRADE_SAVED,
        help_text=_(
            "What an attempt not submitted by its deadline (time limit or closing time) counts as. A learner "
            "who leaves the page may come back to the attempt until then."
        ),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pass_mark_percent"), FieldPanel("attempts_allowed")]),
                FieldRowPanel([FieldPanel("grading_method"), FieldPanel("time_limit_minutes")]),
                FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_choices")]),
                FieldPanel("layout"),
            ],
            heading=_("Rules"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("timeout_policy"),
                FieldPanel("makeup_attempts"),
                FieldRowPanel([FieldPanel("makeup_opens_at"), FieldPanel("makeup_closes_at")]),
            ],
            heading=_("Exam policy"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("review_show_responses"),
                FieldPanel("review_show_correct"),
                FieldPanel("review_show_feedback"),
                FieldPanel("review_when"),
            ],
            heading=_("Review after submitting"),
        ),
        InlinePanel("slots", label=_("Questions"), min_num=1),
    ]
    # The row is the live version (edits wait in revisions), so the index holds what learners get.
    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("description"),
        index.FilterField("id"),  # the chooser lists search results newest first
    ]

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The quiz must close after it opens.")
        if self.makeup_opens_at and self.makeup_closes_at and self.makeup_closes_at <= self.makeup_opens_at:
            errors["makeup_closes_at"] = _("The make-up sitting must close after it opens.")
        if self.makeup_attempts and self.closes_at and self.makeup_opens_at and self.makeup_opens_at < self.closes_at:
            errors["makeup_opens_at"] = _("The make-up sitting cannot open before the quiz closes.")
        if not self.makeup_attempts and (self.makeup_opens_at or self.makeup_closes_at):
            errors["makeup_attempts"] = _("Give the number of make-up attempts, or leave the make-up times empty.")
        if errors:
            raise ValidationError(errors)


class QuizSlot(Orderable):
    """A fixed question, or N questions drawn at random from a category for each attempt."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="slots")
    question = models.ForeignKey(
        Question, verbose_name=_("question"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    random_category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("or random from category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    random_count = models.PositiveSmallIntegerField(_("how many at random"), default=1)

    panels = [FieldPanel("question"), FieldRowPanel([FieldPanel("random_category"), FieldPanel("random_count")])]

    class Meta(Orderable.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, random_category__isnull=True)
                | Q(question__isnull=True, random_category__isnull=False),
                name="quizslot_question_xor_category",
            )
        ]

    def __str__(self) -> str:
        return str(self.question or self.random_category)

    def clean(self):
        super().clean()
        # A fixed slot asks the question's published version: a draft (never published, or an
        # import waiting for review) has none, and attempts would silently leave it out.
        if self.question_id and not self.question.has_live_version:
            raise ValidationError(
                {
                    "question": _(
                        "“%(question)s” is not published yet: a quiz can ask only a published question. "
                        "Publish it, or have it reviewed, first."
                    )
                    % {"question": self.question}
                }
            )


class Attempt(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("quiz attempt", "In progress")
        GRADED = "graded", _("Graded")
        # Submitted with essays a trainer has yet to mark (quizzes.services.essay_grade): no grade yet.
        PENDING = "pending", _("Awaiting grading")

    class ClosedBy(models.TextChoices):
        LEARNER = "learner", _("Submitted by the learner")
        DEADLINE = "deadline", _("Closed at the deadline")

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    # PROTECT: a person's attempts, answers, grades and overrides are records of learning; deleting
    # the person is refused while they exist (deactivate them instead).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="quiz_attempts")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True, help_text=_("Set by the server from the time limit."))
    submitted_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.CharField(max_length=10, choices=ClosedBy.choices, blank=True)
    is_makeup = models.BooleanField(_("make-up sitting"), default=False)
    # The quiz's time-out policy when the attempt started: a later change does not reach it.
    timeout_policy = models.CharField(
        max_length=12, choices=Quiz.TimeoutPolicy.choices, default=Quiz.TimeoutPolicy.GRADE_SAVED
    )
    # What produced the grade, recorded at grading time.
    pass_mark_percent = models.DecimalField(max_digits=5, decimal_places=2)
    max_score = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"))

    class Meta:
        verbose_name = _("quiz attempt")
        constraints = [
            models.UniqueConstraint(fields=["quiz", "user", "number"], name="attempt_unique_number"),
            # At most one open attempt per learner per quiz.
            models.UniqueConstraint(
                fields=["quiz", "user"], condition=Q(status="open"), name="attempt_one_open_per_learner"
            ),
        ]
        indexes = [
            # The overdue finaliser scans open attempts by deadline.
            models.Index(fields=["status", "deadline"], name="attempt_status_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.quiz} #{self.number}"


class AttemptQuestion(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    choice_order = models.JSONField(default=list, help_text=_("Choice keys in the order this learner sees them."))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "position"], name="attemptquestion_unique_position")]
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.position}"


class SavedAnswer(models.Model):
    """Every acknowledged answer is a new row; the latest per question is the answer."""

    attempt_question = models.ForeignKey(AttemptQuestion, on_delete=models.CASCADE, related_name="saved_answers")
    response = models.JSONField()
    saved_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["attempt_question", "-saved_at", "-id"], name="savedanswer_latest")]

    def __str__(self) -> str:
        return f"{self.attempt_question_id} @ {self.saved_at}"


class AttemptGradeQuerySet(models.QuerySet):
    def latest_first(self):
        """The rule for an attempt's current grade: its latest grading (served by the
        attemptgrade_latest index). Every read of "the grade" goes through here."""
        return self.order_by("-graded_at", "-id")


class AttemptGrade(models.Model):
    """One grading of an attempt: the first, a regrade after a correction, or an override."""

    class Reason(models.TextChoices):
        SUBMITTED = "submitted", _("Graded on submission")
        REGRADE = "regrade", _("Regraded after a question was corrected")
        OVERRIDE = "override", _("Grade overridden")
        MANUAL = "manual", _("Essays marked by a trainer")

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="grades")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    score = models.DecimalField(max_digits=8, decimal_places=4)
    max_score = models.DecimalField(max_digits=8, decimal_places=2)
    percent = models.DecimalField(max_digits=5, decimal_places=2)
    passed = models.BooleanField()
    note = models.TextField(blank=True)
    graded_at = models.DateTimeField()
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AttemptGradeQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["attempt", "-graded_at", "-id"], name="attemptgrade_latest")]

    def __str__(self) -> str:
        return f"{self.attempt_id}: {self.percent}%"


class QuestionGrade(models.Model):
    grade = models.ForeignKey(AttemptGrade, on_delete=models.CASCADE, related_name="question_grades")
    attempt_question = models.ForeignKey(AttemptQuestion, on_delete=models.CASCADE, related_name="grades")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    response = models.JSONField()
    score = models.DecimalField(max_digits=8, decimal_places=4)
    fraction = models.DecimalField(max_digits=5, decimal_places=4)
    correct = models.BooleanField(null=True)
    overridden = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["grade", "attempt_question"], name="questiongrade_unique_per_grade")
        ]
        indexes = [
            # Item analysis reads every grade row of a quiz's latest grades.
            models.Index(fields=["attempt_question", "grade"], name="questiongrade_aq_grade"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_question_id}: {self.score}"


class EssayGrade(models.Model):
    """A trainer's mark and comment for one essay answer (issue 14). One per attempt question: the
    database refuses a second, so two trainers marking the same answer at once give one mark. The
    attempt's grade rows carry the mark from then on (quizzes.services._record_grade); a later
    correction is a grade override."""

    attempt_question = models.OneToOneField(AttemptQuestion, on_delete=models.CASCADE, related_name="essay_grade")
    mark = models.DecimalField(_("mark"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    comment = models.TextField(_("trainer's comment"), blank=True)
    graded_at = models.DateTimeField()
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("essay grade")

    def __str__(self) -> str:
        return f"{self.attempt_question_id}: {self.mark}"
