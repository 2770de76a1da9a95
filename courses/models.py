from django.conf import settings
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from .blocks import LessonStreamBlock
from .facets import learner_course_facts
from .panels import CourseReviewStepsPanel


class Topic(models.TextChoices):
    EGOV = "egov", _("E-government basics")
    SECURITY = "security", _("Information security")
    OFFICE = "office", _("Office automation")
    NETWORK = "network", _("Government network and data sharing")
    SERVICES = "services", _("Online public services")
    PROJECTS = "projects", _("Informatization projects")


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class FlaggedViewRestrictions:
    """Wagtail's privacy check asks a page for the view restrictions over it on every request (two
    queries). While no page on the site has one (courses.selectors.any_view_restriction_exists: a
    cached fact, the same for everyone, replaced whenever a restriction is saved or deleted) none
    is read; once one exists, whether it lets the person in is decided on every request. Mixed
    into every page type of the site, before Page."""

    def get_view_restrictions(self):
        from .selectors import any_view_restriction_exists

        if not any_view_restriction_exists():  # the usual case: no query at all
            return PageViewRestriction.objects.none()
        # One query instead of Wagtail's two: restrictions on this page, its ancestors, or the
        # pages those are aliases of (the ancestors' paths are prefixes of this page's path).
        prefixes = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        return PageViewRestriction.objects.filter(Q(page__path__in=prefixes) | Q(page__aliases__path__in=prefixes))


class CourseIndexPage(FlaggedViewRestrictions, Page):
    """The catalogue: lists the courses below it, with topic/level filters and search."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1
    template = "courses/course_index_page.html"
    SEARCH_RESULTS_PER_PAGE = 20

    class Meta:
        verbose_name = _("course catalogue")

    def serve(self, request, *args, **kwargs):
        from .views import login_required_for_page

        return login_required_for_page(request) or super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from .forms import CatalogueFilterForm
        from .selectors import catalogue_courses, catalogue_match, catalogue_search_hits, catalogue_suggested_topics

        context = super().get_context(request, *args, **kwargs)
        form = CatalogueFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        context["filter_form"] = form
        query = filters.get("q") or ""
        # The backend is asked once; the course list and the step snippets share its answer.
        match = catalogue_match(catalogue=self, query=query) if query.strip() else None
        courses = catalogue_courses(
            catalogue=self,
            user=request.user,
            topic=filters.get("topic") or "",
            level=filters.get("level") or "",
            query=query,
            request=request,
            match=match,
        )
        context["query"] = query.strip()
        if context["query"]:
            # A common word finds every course: only one page of cards is built (their facts,
            # steps and snippets), with a link to the next page that keeps the query and filters.
            paginator = Paginator(courses, self.SEARCH_RESULTS_PER_PAGE)
            results_page = paginator.get_page(request.GET.get("page"))
            params = request.GET.copy()
            params.pop("page", None)
            context["results_page"], context["results_query"] = results_page, params.urlencode()
            context["result_total"] = paginator.count
            courses = list(results_page.object_list)
        else:
            context["result_total"] = len(courses)
        context["courses"] = courses
        context["search_hits"] = catalogue_search_hits(
            catalogue=self, courses=context["courses"], user=request.user, request=request, query=query, match=match
        )
        if context["query"] and not context["courses"]:
            context["suggested_topics"] = catalogue_suggested_topics()
        context["course_facts"] = learner_course_facts(user=request.user, courses=context["courses"])
        return context


class CoursePage(FlaggedViewRestrictions, Page):
    summary = models.TextField(_("summary"), max_length=500)
    objectives = models.TextField(_("learning objectives"), help_text=_("One objective per line."))
    audience = models.CharField(_("audience"), max_length=250, blank=True)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, default=Topic.EGOV)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.BEGINNER)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    estimated_minutes = models.PositiveIntegerField(
        _("estimated minutes"), default=30, validators=[MinValueValidator(1), MaxValueValidator(6000)]
    )
    credit_hours = models.DecimalField(
        _("credit hours"),
        max_digits=4,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(99)],
    )
    sequential = models.BooleanField(
        _("sequential"), default=True, help_text=_("Learners must finish each step before opening the next.")
    )
    restricted_to_departments = ParentalManyToManyField(
        "departments.Department",
        verbose_name=_("only for departments"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty for everyone. Otherwise only members of these departments (and units under them)."),
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("objectives"),
        index.SearchField("audience"),
        index.SearchField("title_initials"),
        index.FilterField("topic"),
        index.FilterField("level"),
    ]

    def title_initials(self) -> str:
        """Pinyin initials of the title's words (电子政务 → dzzw), indexed for the catalogue search."""
        from search.segment import pinyin_initials

        return pinyin_initials(self.title)

    content_panels = [
        CourseReviewStepsPanel(heading=_("Steps reviewed with this course")),
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("objectives"),
        FieldPanel("audience"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                FieldPanel("topic"),
                FieldPanel("level"),
                FieldPanel("estimated_minutes"),
                FieldPanel("credit_hours"),
                FieldPanel("sequential"),
                FieldPanel("restricted_to_departments"),
            ],
            heading=_("Course settings"),
        ),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage", "courses.QuizStepPage"]
    template = "courses/course_page.html"

    class Meta:
        verbose_name = _("course")

    @cached_property
    def objectives_list(self) -> list[str]:
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]

    def serve(self, request, *args, **kwargs):
        from .views import course_access_response

        return course_access_response(request, course=self) or super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from .selectors import learner_course_view

        context = super().get_context(request, *args, **kwargs)
        context["learning"] = learner_course_view(user=request.user, course=self, request=request)
        context["course_facts"] = learner_course_facts(user=request.user, courses=[self])
        return context


class StepPage(FlaggedViewRestrictions, Page):
    """What every step of a course shares: access checks, the sequential lock, the outline."""

    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        from .views import serve_step

        return serve_step(request, step=self, serve=super().serve, args=args, kwargs=kwargs)

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_for_step, learner_course_view

        context = super().get_context(request, *args, **kwargs)
        learning = getattr(request, "learning", None)
        if learning is None:  # preview in the admin, where serve() is bypassed
            course = course_for_step(step=self)
            learning = learner_course_view(user=request.user, course=course, current_step=self) if course else None
        context["learning"] = learning
        if learning is not None:
            context["course_facts"] = learner_course_facts(user=request.user, courses=[learning.course])
            if request.user.is_authenticated and not getattr(request, "is_preview", False):
                from studytime.services import page_view_start

                # This page view's heartbeat token (studytime): signed, no query.
                context["study_beat"] = page_view_start(
                    user_id=request.user.pk,
                    step_id=self.pk,
                    course_id=learning.course.pk,
                    videos=getattr(self, "video_lengths", []),
                )
        return context


def step_models() -> list[type[StepPage]]:
    """The one definition of "a step": every concrete page model built on StepPage. Signals,
    outlines, progress, reports and hours all ask this, so a new kind of step counts everywhere."""
    from django.apps import apps

    return [model for model in apps.get_models() if issubclass(model, StepPage)]


class LessonPage(StepPage):
    """One short step of a course. Progress is recorded against this page's id."""

    intro = models.CharField(_("summary"), max_length=250, blank=True)
    estimated_minutes = models.PositiveIntegerField(
        _("estimated minutes"), default=5, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    body = StreamField(LessonStreamBlock(), verbose_name=_("body"))

    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("estimated_minutes"), FieldPanel("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []
    template = "courses/lesson_page.html"

    class Meta:
        verbose_name = _("lesson step")

    @cached_property
    def minimum_study_seconds(self) -> int:
        """The least active time this step asks for: reading its text at the configured speeds
        plus the length of its videos (studytime). Computed from the body, no query."""
        from studytime.services import step_minimum_seconds

        from .blocks import study_content

        text, video_seconds = study_content(self.body)
        return step_minimum_seconds(text=" ".join([self.title, self.intro, text]), video_seconds=video_seconds)

    @cached_property
    def video_lengths(self) -> list[int]:
        """Each video's length in seconds, in body order; only watched seconds of them count."""
        from .blocks import video_lengths

        return video_lengths(self.body)


class QuizStepPage(StepPage):
    """A step that is a quiz: a knowledge check inside the course or its final exam. Passing the
    quiz completes the step, in the transaction that grades the attempt (courses.receivers)."""

    class Kind(models.TextChoices):
        KNOWLEDGE_CHECK = "knowledge_check", _("Knowledge check")
        FINAL_EXAM = "final_exam", _("Final exam")

    quiz = models.ForeignKey("quizzes.Quiz", verbose_name=_("quiz"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.KNOWLEDGE_CHECK)
    intro = models.CharField(_("summary"), max_length=250, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("kind"), FieldPanel("quiz"), FieldPanel("intro")]
    template = "courses/quiz_step_page.html"

    class Meta:
        verbose_name = _("quiz step")

    def get_context(self, request, *args, **kwargs):
        from quizzes.selectors import learner_quiz_summary

        context = super().get_context(request, *args, **kwargs)
        if request.user.is_authenticated:
            context["quiz_summary"] = learner_quiz_summary(quiz=self.quiz, user=request.user)
        return context


class Enrolment(models.Model):
    """A learner started (or was enrolled in) a course."""

    # PROTECT: progress feeds the department reports and credit hours; never deleted with a person.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolments")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrolments")
    enrolled_at = models.DateTimeField(_("enrolled at"))

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="enrolment_unique_user_course")]

    def __str__(self) -> str:
        return f"{self.user} → {self.course}"


class StepCompletion(models.Model):
    """A learner finished one step. At most one per learner and step; never edited, except that
    its course follows the step when a trainer moves it (courses.services.step_completions_follow)."""

    # PROTECT: progress feeds the department reports and credit hours; never deleted with a person.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="step_completions")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="step_completions")
    step = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(_("completed at"))

    class Meta:
        verbose_name = _("step completion")
        verbose_name_plural = _("step completions")
        constraints = [models.UniqueConstraint(fields=["user", "step"], name="stepcompletion_unique_user_step")]
        indexes = [
            # The lesson and course pages read one learner's completions in one course.
            models.Index(fields=["user", "course"], name="stepcompletion_user_course"),
            # The progress recompute reads every learner's completions in one course.
            models.Index(fields=["course", "user"], name="stepcompletion_course_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ✓ {self.step_id}"


class CourseProgress(models.Model):
    """Per-learner per-course progress, written in the same transaction as the event."""

    # PROTECT: progress feeds the department reports and credit hours; never deleted with a person.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="course_progress")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="progress_rows")
    steps_done = models.PositiveIntegerField(_("steps done"), default=0)
    steps_total = models.PositiveIntegerField(_("steps total"), default=0)
    percent = models.PositiveSmallIntegerField(
        _("percent"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    resume_step = models.ForeignKey(
        Page, verbose_name=_("resume at"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"))
    # Kept by courses.receivers on quizzes' attempt_graded, in the grading transaction: the highest
    # current grade of the learner's attempts at this course's quiz steps, and how many were graded.
    best_score_percent = models.DecimalField(_("best score (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    quiz_attempts = models.PositiveIntegerField(_("quiz attempts"), default=0)
    # Kept by the same receiver: the learner passed one of those quizzes in a make-up sitting (补考),
    # by the attempt's current grade; the reports count these apart.
    makeup_passed = models.BooleanField(_("passed in a make-up sitting"), default=False)

    class Meta:
        verbose_name = _("course progress")
        verbose_name_plural = _("course progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="courseprogress_unique_user_course"),
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="courseprogress_percent_max_100"),
        ]
        indexes = [
            # "My learning" and "continue where you left off": a learner's rows, latest first.
            models.Index(fields=["user", "-last_activity_at"], name="courseprogress_user_activity"),
            # Department reports: completion per course.
            models.Index(fields=["course", "completed_at"], name="courseprogress_course_done"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.course_id} {self.percent}%"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class CourseOutline(models.Model):
    """The live steps of a course in order, as last seen. Comparing it with the page tree
    tells whether a publish changed the set of steps (and stored progress needs a recompute)."""

    course = models.OneToOneField(CoursePage, on_delete=models.CASCADE, related_name="outline", primary_key=True)
    step_ids = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("course outline")

    def __str__(self) -> str:
        return f"{self.course_id}: {len(self.step_ids)} steps"


class CourseReviewStep(models.Model):
    """A step page in review together with its course. The course's workflow state carries the
    step's: approving, rejecting or cancelling the course's review does the same to the step's
    (courses.review). A step submitted on its own has no row."""

    course_review = models.ForeignKey(
        "wagtailcore.WorkflowState", on_delete=models.CASCADE, related_name="course_review_steps"
    )
    step_review = models.OneToOneField(
        "wagtailcore.WorkflowState", on_delete=models.CASCADE, related_name="course_review_link"
    )
    step = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    included_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("step reviewed with its course")
        verbose_name_plural = _("steps reviewed with their course")
        constraints = [
            models.UniqueConstraint(fields=["course_review", "step"], name="coursereviewstep_unique_review_step")
        ]

    def __str__(self) -> str:
        return f"{self.course_review_id}: {self.step_id}"
