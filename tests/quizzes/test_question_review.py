"""Changes to a question a live quiz asks go through the same review as the quiz (issue 14 item 4):
a trainer's edit is a draft revision; learners keep the published version until a reviewer
publishes or approves it, and publishing stores exactly one new version. A question no live quiz
asks is published on save. Imports into a category a live quiz draws from, by someone who may not
publish, are drafts. A fixed slot refuses a question that was never published."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from wagtail.models import WorkflowState

from courses.authoring import course_authoring_setup
from quizzes.formats import parse_gift
from quizzes.models import AttemptQuestion, Question, QuestionCategory, QuestionVersion, Quiz, QuizSlot
from quizzes.review import question_review_quizzes
from quizzes.services import attempt_start, question_create, questions_import
from quizzes.specs import ChoiceSpec, QuestionSpec, QuestionType
from tests.factories import UserFactory
from tests.quizzes.conftest import make_quiz
from tests.quizzes.test_quiz_review import form_post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def authoring(catalogue):
    trainers, reviewers, workflow = course_authoring_setup(catalogue=catalogue)
    trainer = UserFactory(username="question-trainer", is_staff=True, is_trainer=True)
    trainer.groups.add(trainers)
    reviewer = UserFactory(username="question-reviewer", is_staff=True)
    reviewer.groups.add(reviewers)
    return trainer, reviewer, workflow


def one_question_spec(stem="电子政务中 G2C 指的是？") -> QuestionSpec:
    return QuestionSpec(
        qtype=QuestionType.SINGLE,
        stem=stem,
        choices=(ChoiceSpec("a", "政府对公民", True), ChoiceSpec("b", "政府对企业", False)),
    )


def fixed_slot_quiz(*, live=True) -> tuple[Quiz, Question]:
    """A quiz asking one question in a fixed slot."""
    quiz = make_quiz(specs=[one_question_spec()], live=live)
    return quiz, quiz.slots.get().question


def random_slot_quiz(category_name="随机题库", *, live=True) -> tuple[Quiz, QuestionCategory]:
    category = QuestionCategory.objects.create(name=category_name)
    question_create(spec=one_question_spec("随机抽取的题"), category=category)
    quiz = Quiz.objects.create(title="随机测验", live=live)
    QuizSlot.objects.create(quiz=quiz, random_category=category, random_count=1, sort_order=0)
    return quiz, category


def question_edit_url(question) -> str:
    return reverse(Question.snippet_viewset.get_url_name("edit"), args=[question.pk])


def edit_question(client, user, question, action: str | None = None, **changes):
    client.force_login(user)
    url = question_edit_url(question)
    page = client.get(url)
    assert page.status_code == 200
    data = form_post_data(page.context["form"]) | changes
    if action:
        data[f"action-{action}"] = action
    return client.post(url, data)


def live_name(question) -> str:
    return Question.objects.get(pk=question.pk).name


def asked(quiz) -> str:
    """The name of the question version a learner starting the quiz now is asked."""
    attempt = attempt_start(quiz=quiz, user=UserFactory())
    return attempt.questions.select_related("version").get().version.spec["name"]


def approve(question, reviewer):
    state = WorkflowState.objects.for_instance(Question.objects.get(pk=question.pk)).get()
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, "approve")


# ---------------------------------------------------------------------------- the rule


def test_the_rule_names_live_quizzes_by_fixed_slot_and_by_category(authoring):
    quiz, question = fixed_slot_quiz()
    drawing, category = random_slot_quiz()
    drawn = category.questions.get()
    assert question_review_quizzes(question=question) == [quiz]
    assert question_review_quizzes(question=drawn) == [drawing]
    # Moving a question into a drawn category counts.
    assert question_review_quizzes(question=question, category_ids=[category.pk]) == sorted([drawing, quiz], key=str)
    Quiz.objects.filter(pk__in=[quiz.pk, drawing.pk]).update(live=False)
    assert question_review_quizzes(question=question, category_ids=[category.pk]) == []


# ---------------------------------------------------------------------------- a question a live quiz asks


@pytest.mark.parametrize("slot", ["fixed", "random"])
def test_a_trainer_edit_of_a_question_a_live_quiz_asks_is_a_draft(client, authoring, slot):
    trainer, _reviewer, _workflow = authoring
    if slot == "fixed":
        quiz, question = fixed_slot_quiz()
    else:
        quiz, category = random_slot_quiz()
        question = category.questions.get()
    version = question.current_version
    response = edit_question(client, trainer, question, name="改过的题目")
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = Question.objects.get(pk=question.pk)
    assert stored.live and stored.has_unpublished_changes
    assert stored.name == question.name and stored.current_version == version
    assert stored.versions.count() == 1
    assert stored.latest_revision.as_object().name == "改过的题目"
    assert asked(quiz) == question.name
    # The trainer cannot publish it: the publish button is ignored, it stays a draft.
    edit_question(client, trainer, question, action="publish", name="再改")
    assert live_name(question) == question.name and Question.objects.get(pk=question.pk).versions.count() == 1


def test_attempts_before_and_after_the_approval_get_the_right_version(client, authoring):
    trainer, reviewer, workflow = authoring
    quiz, question = fixed_slot_quiz()
    assert Question.objects.get(pk=question.pk).get_workflow() == workflow
    before = attempt_start(quiz=quiz, user=UserFactory())
    response = edit_question(client, trainer, question, action="submit", name="新题目")
    assert response.status_code == 302, response.content.decode()[:3000]
    state = WorkflowState.objects.for_instance(Question.objects.get(pk=question.pk)).get()
    assert (state.status, state.requested_by_id) == (WorkflowState.STATUS_IN_PROGRESS, trainer.pk)
    during = attempt_start(quiz=quiz, user=UserFactory())

    approve(question, reviewer)

    after = attempt_start(quiz=quiz, user=UserFactory())
    stems = {
        attempt: AttemptQuestion.objects.select_related("version").get(attempt=attempt).version.spec["name"]
        for attempt in (before, during, after)
    }
    assert stems == {before: question.name, during: question.name, after: "新题目"}
    stored = Question.objects.get(pk=question.pk)
    assert stored.name == "新题目" and not stored.has_unpublished_changes
    assert list(stored.versions.order_by("number").values_list("number", "created_by")) == [(1, None), (2, trainer.pk)]
    assert stored.current_version.number == 2


def test_a_reviewer_publish_creates_exactly_one_new_version(client, authoring):
    trainer, reviewer, _workflow = authoring
    quiz, question = fixed_slot_quiz()
    Question.objects.get(pk=question.pk).save_revision(user=reviewer)  # a revision of the published content
    edit_question(client, trainer, question, name="草稿一")
    edit_question(client, trainer, question, name="草稿二")
    assert QuestionVersion.objects.filter(question=question).count() == 1
    # A reviewer's own save is a draft too, until they publish.
    edit_question(client, reviewer, question, name="审核人改")
    assert QuestionVersion.objects.filter(question=question).count() == 1
    response = edit_question(client, reviewer, question, action="publish")
    assert response.status_code == 302, response.content.decode()[:3000]
    versions = list(QuestionVersion.objects.filter(question=question).order_by("number"))
    assert [version.number for version in versions] == [1, 2]
    assert versions[1].spec["name"] == "审核人改" and live_name(question) == "审核人改"
    assert Question.objects.get(pk=question.pk).current_version == versions[1]
    assert asked(quiz) == "审核人改"
    # Publishing an older revision again (here one with the first version's content) stores its
    # content as one more version: the version learners get is always the newest, never rewound.
    unchanged = Question.objects.get(pk=question.pk).revisions.order_by("created_at", "id").first()
    unchanged.publish(user=reviewer)
    stored = Question.objects.get(pk=question.pk)
    assert stored.versions.count() == 3 and stored.current_version.number == 3
    assert stored.current_version.spec == versions[0].spec and stored.name == question.name


def test_moving_a_question_into_a_drawn_category_is_reviewed(client, authoring):
    trainer, _reviewer, _workflow = authoring
    _quiz, category = random_slot_quiz()
    elsewhere = QuestionCategory.objects.create(name="未用题库")
    question = question_create(spec=one_question_spec("别处的题"), category=elsewhere)
    edit_question(client, trainer, question, category=str(category.pk))
    stored = Question.objects.get(pk=question.pk)
    assert stored.category == elsewhere and stored.has_unpublished_changes and stored.versions.count() == 1


# ---------------------------------------------------------------------------- a question no live quiz asks


def test_a_question_no_live_quiz_asks_is_published_on_save(client, authoring):
    trainer, _reviewer, _workflow = authoring
    _quiz, question = fixed_slot_quiz(live=False)
    client.force_login(trainer)
    page = client.get(question_edit_url(question))
    assert page.context["autosave_enabled"] is False  # a save publishes: no autosave
    assert "Save and publish" in page.content.decode()
    response = edit_question(client, trainer, question, name="直接保存")
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = Question.objects.get(pk=question.pk)
    assert stored.name == "直接保存" and stored.live and not stored.has_unpublished_changes
    assert stored.versions.count() == 2 and stored.current_version.spec["name"] == "直接保存"
    assert stored.current_version.created_by == trainer


def test_autosave_stays_on_where_a_save_is_a_draft(client, authoring):
    trainer, _reviewer, _workflow = authoring
    _quiz, question = fixed_slot_quiz()
    client.force_login(trainer)
    page = client.get(question_edit_url(question))
    assert page.context["autosave_enabled"] is True and "Save and publish" not in page.content.decode()


def test_a_new_question_is_live_unless_a_live_quiz_draws_from_its_category(client, authoring):
    trainer, _reviewer, _workflow = authoring
    _quiz, drawn = random_slot_quiz()
    free = QuestionCategory.objects.create(name="自由题库")
    client.force_login(trainer)
    url = reverse(Question.snippet_viewset.get_url_name("add"))
    page = client.get(url)
    assert page.context["autosave_enabled"] is False
    form = page.context["form"]
    rich = form.fields["stem"].widget.format_value
    empty_rich = {name: rich("") for name, field in form.fields.items() if hasattr(field.widget, "converter")}
    for category, name in ((free, "自由新题"), (drawn, "抽题新题")):
        data = (
            form_post_data(form)
            | empty_rich
            | {
                "category": str(category.pk),
                "name": name,
                "stem": rich("<p>哪个对？</p>"),
                "choices-TOTAL_FORMS": "2",
                "choices-0-text": rich("<p>对</p>"),
                "choices-0-correct": "on",
                "choices-0-feedback": rich(""),
                "choices-0-ORDER": "1",
                "choices-1-text": rich("<p>错</p>"),
                "choices-1-feedback": rich(""),
                "choices-1-ORDER": "2",
            }
        )
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:3000]
    published = Question.objects.get(name="自由新题")
    assert published.live and published.current_version is not None
    draft = Question.objects.get(name="抽题新题")
    assert not draft.live and draft.current_version is None and draft.latest_revision is not None


# ---------------------------------------------------------------------------- imports


GIFT = "::口令::下列哪个口令最安全？ {=Xq7-v9Lp2!mZ ~123456 ~password}\n\n::公文::电子公文需要签章。 {T}"


def test_an_import_into_a_drawn_category_by_a_trainer_makes_drafts(authoring):
    trainer, reviewer, _workflow = authoring
    quiz, category = random_slot_quiz()
    outcome = questions_import(result=parse_gift(GIFT), default_category=category, user=trainer)
    assert len(outcome.created) == 2 and outcome.drafts == outcome.created
    for question in outcome.created:
        stored = Question.objects.get(pk=question.pk)
        assert not stored.live and stored.current_version is None and stored.latest_revision is not None
    # Learners still draw only the published question.
    assert {asked(quiz) for _ in range(8)} == {""}  # the published question has no name
    # A reviewer publishes one: it gets its first version and can be drawn.
    Question.objects.get(pk=outcome.created[0].pk).latest_revision.publish(user=reviewer)
    assert Question.objects.get(pk=outcome.created[0].pk).versions.count() == 1
    # A reviewer's import into the same category is live; so is a trainer's into a category no live quiz draws.
    assert questions_import(result=parse_gift(GIFT), default_category=category, user=reviewer).drafts == []
    free = QuestionCategory.objects.create(name="自由题库")
    assert questions_import(result=parse_gift(GIFT), default_category=free, user=trainer).drafts == []


def test_the_dry_run_and_the_result_say_the_questions_will_be_drafts(client, authoring):
    trainer, _reviewer, _workflow = authoring
    _quiz, category = random_slot_quiz()
    client.force_login(trainer)
    response = client.post(
        reverse("quizzes_admin:import"),
        {"file": SimpleUploadedFile("bank.txt", GIFT.encode()), "category": str(category.pk)},
    )
    page = response.content.decode()
    assert "2 questions go into categories that live quizzes draw from (随机测验)" in page
    assert page.count("draft, awaiting review") == 2
    form = response.context["confirm_form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    result = client.post(reverse("quizzes_admin:import_confirm"), data, follow=True)
    assert "2 questions were saved as drafts awaiting review" in result.content.decode()
    assert Question.objects.filter(category=category, live=False).count() == 2


# ---------------------------------------------------------------------------- fixed slots


def test_a_fixed_slot_refuses_a_question_never_published(client, authoring):
    trainer, _reviewer, _workflow = authoring
    quiz, _question = fixed_slot_quiz()
    draft = question_create(spec=one_question_spec("草稿题"), category=QuestionCategory.objects.get(), publish=False)
    slot = QuizSlot(quiz=quiz, question=draft, sort_order=5)
    with pytest.raises(ValidationError) as refused:
        slot.full_clean()
    assert "is not published yet" in str(refused.value)
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as refused:
            slot.full_clean()
        assert "尚未发布" in str(refused.value)
    # In the quiz editor: the slot's error is shown and nothing is saved.
    client.force_login(trainer)
    url = reverse(Quiz.snippet_viewset.get_url_name("edit"), args=[quiz.pk])
    data = form_post_data(client.get(url).context["form"]) | {"slots-0-question": str(draft.pk)}
    response = client.post(url, data)
    assert response.status_code == 200 and "is not published yet" in response.content.decode()
    assert Quiz.objects.get(pk=quiz.pk).latest_revision is None
    QuizSlot(quiz=quiz, question=Question.objects.exclude(pk=draft.pk).get(), sort_order=6).full_clean()


def test_a_reviewer_lists_the_drafts_awaiting_review(client, authoring):
    trainer, reviewer, _workflow = authoring
    _quiz, category = random_slot_quiz()
    questions_import(result=parse_gift(GIFT), default_category=category, user=trainer)
    client.force_login(reviewer)
    listing = client.get(reverse(Question.snippet_viewset.get_url_name("list")), {"live": "false"})
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "口令" in page and "公文" in page and "随机抽取的题" not in page
