"""Essay questions and the trainers' grading queue (issue 14 item 2f): an attempt with an answered
essay awaits a trainer's mark (no grade, nothing announced); the mark is a new grade row, audited;
the last essay's mark grades the attempt and a pass completes the course step exactly once."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from courses.models import QuizStepPage, StepCompletion
from courses.services import step_complete
from quizzes.formats import (
    ImportedQuestion,
    excel_unexportable,
    export_excel,
    export_gift,
    export_moodle_xml,
    gift_unexportable,
    parse_excel,
    parse_gift,
    parse_moodle_xml,
)
from quizzes.grading import grade, needs_manual_grading
from quizzes.models import Attempt, AttemptGrade, EssayGrade, Question, QuestionCategory, QuestionGrade
from quizzes.question_html import html_to_plain
from quizzes.responses import ESSAY_MAX_LENGTH, ResponseInvalid, clean_response
from quizzes.selectors import attempt_review, essays_awaiting_grading, quiz_item_analysis_report
from quizzes.services import (
    EssayAlreadyGraded,
    QuizError,
    answers_save,
    attempt_start,
    attempt_submit,
    attempts_finalise_overdue,
    essay_grade,
    question_spec,
    questions_import,
)
from quizzes.signals import attempt_graded
from quizzes.specs import ChoiceSpec, QuestionSpec, QuestionType, spec_from_data, spec_to_data
from tests.factories import UserFactory, build_course, course_steps
from tests.factories.quizzes import user_with_permissions
from tests.quizzes.conftest import make_quiz

pytestmark = pytest.mark.django_db

SINGLE = QuestionSpec(
    qtype=QuestionType.SINGLE,
    stem="G2C 指的是？",
    choices=(ChoiceSpec("a", "政府对公民", True), ChoiceSpec("b", "政府对企业", False)),
)
ESSAY = QuestionSpec(
    qtype=QuestionType.ESSAY,
    stem="请论述“一网通办”的意义。",
    mark=Decimal("4"),
    grader_info="要点：减少跑腿、数据共享。",
    response_max_length=200,
)
ESSAY_2 = QuestionSpec(qtype=QuestionType.ESSAY, stem="简述口令管理要求。", mark=Decimal("5"))


@pytest.fixture
def announced():
    """Every attempt_graded signal sent, as (attempt id, passed)."""
    sent = []

    def receiver(sender, attempt, grade, **kwargs):
        sent.append((attempt.pk, grade.passed))

    attempt_graded.connect(receiver, weak=False, dispatch_uid="test-essays")
    yield sent
    attempt_graded.disconnect(dispatch_uid="test-essays")


def single_key(attempt) -> str:
    aq = attempt.questions.select_related("version").get(position=1)
    return next(c["key"] for c in aq.version.spec["choices"] if c["correct"])


def submitted(quiz, learner, essay_texts=("减少群众跑腿，数据共享。",)):
    """An attempt with the single-choice question right and the essays answered, submitted."""
    attempt = attempt_start(quiz=quiz, user=learner)
    answers = {"1": {"choice": single_key(attempt)}}
    for offset, text in enumerate(essay_texts, start=2):
        answers[str(offset)] = {"text": text}
    attempt_submit(attempt_id=attempt.pk, user=learner, answers=answers)
    attempt.refresh_from_db()
    return attempt


def essay_of(attempt, position=2):
    return attempt.questions.get(position=position)


@pytest.fixture
def trainer(db):
    return user_with_permissions("add_question", "change_quiz", username="essay-trainer")


# ---------------------------------------------------------------------------- pure parts


def test_an_essay_scores_nothing_until_marked_and_only_an_answered_one_needs_a_trainer():
    result = grade(ESSAY, {"text": "很长的论述"})
    assert (result.score, result.fraction) == (Decimal("0.0000"), Decimal("0.0000"))
    assert needs_manual_grading(ESSAY, {"text": "很长的论述"})
    assert not needs_manual_grading(ESSAY, {"text": "  \n "})
    assert not needs_manual_grading(ESSAY, {})
    assert not needs_manual_grading(SINGLE, {"choice": "a"})


@pytest.mark.parametrize(
    ("spec", "text", "ok"),
    [
        (ESSAY, "字" * 200, True),
        (ESSAY, "字" * 201, False),
        (ESSAY_2, "字" * ESSAY_MAX_LENGTH, True),
        (ESSAY_2, "字" * (ESSAY_MAX_LENGTH + 1), False),
    ],
)
def test_an_essay_answer_is_plain_text_within_its_limit(spec, text, ok):
    if ok:
        assert clean_response(spec, {"text": text}) == {"text": text}
    else:
        with pytest.raises(ResponseInvalid):
            clean_response(spec, {"text": text})


@pytest.mark.parametrize("response", [{"text": 5}, {"text": "x", "score": 4}, {"choice": "a"}])
def test_an_essay_answer_of_another_shape_is_refused(response):
    with pytest.raises(ResponseInvalid):
        clean_response(ESSAY, response)


def test_the_spec_round_trips_and_older_versions_keep_their_stored_form():
    assert spec_from_data(spec_to_data(ESSAY)) == ESSAY
    data = spec_to_data(SINGLE)
    # A version stored before essays existed has neither key, and equals a re-save of the same question.
    assert "grader_info" not in data and "response_max_length" not in data
    assert spec_from_data(data) == SINGLE


def test_an_essay_question_keeps_its_grader_information_and_limit_in_its_version():
    quiz = make_quiz(specs=[ESSAY])
    question = Question.objects.get()
    assert question.current_version.spec["grader_info"] == "要点：减少跑腿、数据共享。"
    assert question.current_version.spec["response_max_length"] == 200
    assert question_spec(question) == spec_from_data(question.current_version.spec)
    assert quiz.slots.count() == 1


# ---------------------------------------------------------------------------- grading flow


def test_a_submitted_essay_leaves_the_attempt_awaiting_grading(announced):
    quiz = make_quiz(specs=[SINGLE, ESSAY])
    attempt = submitted(quiz, UserFactory())
    assert attempt.status == Attempt.Status.PENDING and attempt.submitted_at is not None
    assert not AttemptGrade.objects.filter(attempt=attempt).exists()
    assert announced == []
    assert [e.attempt_question_id for e in essays_awaiting_grading()] == [essay_of(attempt).pk]


@pytest.mark.parametrize(
    ("mark", "percent", "passed"),
    [
        (Decimal("4"), Decimal("100.00"), True),
        (Decimal("2"), Decimal("60.00"), True),
        (Decimal("1.5"), Decimal("50.00"), False),
    ],
)
def test_the_mark_grades_the_attempt_with_a_manual_grade_announced_once(announced, trainer, mark, percent, passed):
    quiz = make_quiz(specs=[SINGLE, ESSAY], pass_mark_percent=Decimal("60"))
    attempt = submitted(quiz, UserFactory())
    essay_grade(attempt_question_id=essay_of(attempt).pk, mark=mark, comment="论述清楚。", user=trainer)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    grade_row = AttemptGrade.objects.get(attempt=attempt)
    assert grade_row.reason == AttemptGrade.Reason.MANUAL and grade_row.graded_by == trainer
    assert (grade_row.score, grade_row.max_score, grade_row.percent, grade_row.passed) == (
        Decimal("1") + mark,
        Decimal("5"),
        percent,
        passed,
    )
    essay_row = QuestionGrade.objects.get(grade=grade_row, attempt_question__position=2)
    assert essay_row.score == mark and essay_row.response == {"text": "减少群众跑腿，数据共享。"}
    assert announced == [(attempt.pk, passed)]
    assert essays_awaiting_grading() == []
    entry = ModelLogEntry.objects.get(action="quizzes.essay_grade")
    assert entry.user_id == trainer.pk and entry.data["score"] == str(mark) and entry.data["comment"] == "论述清楚。"


def test_the_attempt_waits_for_its_last_essay(announced, trainer):
    quiz = make_quiz(specs=[SINGLE, ESSAY, ESSAY_2])
    attempt = submitted(quiz, UserFactory(), essay_texts=("第一篇", "第二篇"))
    essay_grade(attempt_question_id=essay_of(attempt, 2).pk, mark=Decimal("4"), comment="", user=trainer)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.PENDING and not attempt.grades.exists() and announced == []
    assert [e.position for e in essays_awaiting_grading()] == [3]
    essay_grade(attempt_question_id=essay_of(attempt, 3).pk, mark=Decimal("0.5"), comment="", user=trainer)
    attempt.refresh_from_db()
    grade_row = AttemptGrade.objects.get(attempt=attempt)
    assert grade_row.score == Decimal("5.5") and grade_row.max_score == Decimal("10") and not grade_row.passed
    assert announced == [(attempt.pk, False)]


def test_a_blank_essay_scores_zero_without_a_trainer(announced):
    quiz = make_quiz(specs=[SINGLE, ESSAY])
    attempt = submitted(quiz, UserFactory(), essay_texts=("   ",))
    assert attempt.status == Attempt.Status.GRADED
    grade_row = AttemptGrade.objects.get(attempt=attempt)
    assert grade_row.reason == AttemptGrade.Reason.SUBMITTED and grade_row.score == Decimal("1")
    assert essays_awaiting_grading() == [] and announced == [(attempt.pk, False)]


@pytest.mark.parametrize("mark", [Decimal("-1"), Decimal("4.01"), Decimal("100")])
def test_a_mark_outside_the_question_s_range_is_refused(trainer, mark):
    attempt = submitted(make_quiz(specs=[SINGLE, ESSAY]), UserFactory())
    with pytest.raises(QuizError):
        essay_grade(attempt_question_id=essay_of(attempt).pk, mark=mark, comment="", user=trainer)
    assert not EssayGrade.objects.exists() and not AttemptGrade.objects.exists()


def test_an_answer_is_marked_once(trainer):
    attempt = submitted(make_quiz(specs=[SINGLE, ESSAY, ESSAY_2]), UserFactory(), essay_texts=("一", "二"))
    essay_grade(attempt_question_id=essay_of(attempt).pk, mark=Decimal("1"), comment="", user=trainer)
    with pytest.raises(EssayAlreadyGraded):
        essay_grade(attempt_question_id=essay_of(attempt).pk, mark=Decimal("3"), comment="", user=trainer)
    assert EssayGrade.objects.get().mark == Decimal("1")


def test_a_non_essay_or_an_open_attempt_cannot_be_marked(trainer):
    quiz = make_quiz(specs=[SINGLE, ESSAY])
    attempt = attempt_start(quiz=quiz, user=UserFactory())
    with pytest.raises(QuizError):
        essay_grade(attempt_question_id=essay_of(attempt, 1).pk, mark=Decimal("1"), comment="", user=trainer)
    with pytest.raises(QuizError):  # still open
        essay_grade(attempt_question_id=essay_of(attempt, 2).pk, mark=Decimal("1"), comment="", user=trainer)
    assert not EssayGrade.objects.exists()


def test_a_pass_completes_the_course_step_exactly_once(catalogue, trainer):
    quiz = make_quiz(specs=[SINGLE, ESSAY], pass_mark_percent=Decimal("60"))
    course = build_course(catalogue, steps=1, slug="essay-course")
    course.refresh_from_db()
    step = QuizStepPage(title="论述题测验", slug="essay-quiz", quiz=quiz)
    course.add_child(instance=step)
    learner = UserFactory()
    step_complete(user=learner, step=course_steps(course)[0])
    attempt = submitted(quiz, learner)
    assert not StepCompletion.objects.filter(user=learner, step_id=step.pk).exists()
    essay_grade(attempt_question_id=essay_of(attempt).pk, mark=Decimal("3"), comment="好", user=trainer)
    assert StepCompletion.objects.filter(user=learner, step_id=step.pk).count() == 1


def test_a_fail_completes_no_step(catalogue, trainer):
    quiz = make_quiz(specs=[SINGLE, ESSAY], pass_mark_percent=Decimal("80"))
    course = build_course(catalogue, steps=1, slug="essay-fail")
    course.refresh_from_db()
    step = QuizStepPage(title="论述题测验", slug="essay-quiz", quiz=quiz)
    course.add_child(instance=step)
    learner = UserFactory()
    step_complete(user=learner, step=course_steps(course)[0])
    attempt = submitted(quiz, learner)
    essay_grade(attempt_question_id=essay_of(attempt).pk, mark=Decimal("1"), comment="", user=trainer)
    assert not StepCompletion.objects.filter(user=learner, step_id=step.pk).exists()


@pytest.mark.parametrize(("policy", "status"), [("grade_saved", "pending"), ("zero", "graded")])
def test_the_overdue_finaliser_leaves_an_answered_essay_awaiting_grading(announced, policy, status):
    quiz = make_quiz(specs=[SINGLE, ESSAY], time_limit_minutes=10, timeout_policy=policy)
    learner = UserFactory()
    started = timezone.now() - timedelta(hours=1)
    attempt = attempt_start(quiz=quiz, user=learner, now=started)
    answers_save(attempt_id=attempt.pk, user=learner, answers={"2": {"text": "写了一半"}}, now=started)
    assert attempts_finalise_overdue() == 1
    attempt.refresh_from_db()
    assert attempt.status == status and attempt.closed_by == Attempt.ClosedBy.DEADLINE
    assert len(essays_awaiting_grading()) == (1 if status == "pending" else 0)
    assert AttemptGrade.objects.filter(attempt=attempt).exists() == (status == "graded")


def test_the_review_shows_the_trainer_s_comment_and_mark(client, trainer):
    learner = UserFactory()
    attempt = submitted(make_quiz(specs=[SINGLE, ESSAY]), learner)
    client.force_login(learner)
    review_url = reverse("quizzes:review", args=[attempt.pk])
    page = client.get(review_url).content.decode()
    assert "Awaiting grading" in page and "论述清楚" not in page
    essay_grade(attempt_question_id=essay_of(attempt).pk, mark=Decimal("3"), comment="论述清楚。", user=trainer)
    _grade, questions = attempt_review(attempt=attempt)
    assert (questions[1].score, questions[1].trainer_comment) == (Decimal("3"), "论述清楚。")
    page = client.get(review_url).content.decode()
    assert "Awaiting grading" not in page and "论述清楚。" in page and "3 of 4 marks" in page
    assert "减少跑腿" not in page  # the grader information is never shown to learners


def test_item_analysis_leaves_pending_attempts_out(trainer):
    quiz = make_quiz(specs=[SINGLE, ESSAY])
    submitted(quiz, UserFactory())
    graded = submitted(quiz, UserFactory())
    essay_grade(attempt_question_id=essay_of(graded).pk, mark=Decimal("2"), comment="", user=trainer)
    report = quiz_item_analysis_report(quiz=quiz)
    assert report.stats.attempts == 1


# ---------------------------------------------------------------------------- admin pages


def test_the_queue_lists_essays_oldest_first_and_the_form_saves_a_mark(client, trainer):
    quiz = make_quiz(specs=[SINGLE, ESSAY], title="论述题测验")
    older = submitted(quiz, UserFactory(first_name="甲"))
    newer = submitted(quiz, UserFactory(first_name="乙"))
    Attempt.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - timedelta(hours=2))
    client.force_login(trainer)
    response = client.get(reverse("quizzes_admin:essays"))
    assert response.status_code == 200
    assert [e.attempt.pk for e in response.context["page_obj"].object_list] == [older.pk, newer.pk]
    url = reverse("quizzes_admin:essay_grade", args=[essay_of(older).pk])
    page = client.get(url).content.decode()
    assert "减少群众跑腿" in page and "要点：减少跑腿" in page
    # Bad input re-renders with errors, never a 500.
    for bad in ({"score": "9"}, {"score": "abc"}, {"score": ""}, {"score": "1.234"}):
        assert client.post(url, bad).status_code == 200
    assert not EssayGrade.objects.exists()
    response = client.post(url, {"score": "2.5", "comment": "还可以"})
    assert response.status_code == 302
    row = EssayGrade.objects.get()
    assert (row.mark, row.comment, row.graded_by) == (Decimal("2.5"), "还可以", trainer)
    # Marked: no longer in the queue; its page is gone and a second post changes nothing.
    assert client.get(url).status_code == 404
    assert client.post(url, {"score": "4"}).status_code == 302
    assert EssayGrade.objects.get().mark == Decimal("2.5")


@pytest.mark.parametrize(
    "who",
    ["learner", "head", "bank_only"],
)
def test_only_trainers_who_may_change_quizzes_grade(client, who):
    attempt = submitted(make_quiz(specs=[SINGLE, ESSAY]), UserFactory())
    if who == "learner":
        user = UserFactory()
    elif who == "head":
        user = UserFactory(is_department_head=True)
    else:
        user = user_with_permissions("add_question")  # the bank tools, not grades
    client.force_login(user)
    url = reverse("quizzes_admin:essay_grade", args=[essay_of(attempt).pk])
    for response in (
        client.get(reverse("quizzes_admin:essays")),
        client.get(url),
        client.post(url, {"score": "4", "comment": ""}),
    ):
        assert response.status_code in (302, 403), response.status_code
        if response.status_code == 302:
            assert "/login/" in response["Location"] or response["Location"].startswith("/admin/")
    assert not EssayGrade.objects.exists()
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.PENDING


# ---------------------------------------------------------------------------- concurrency


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_trainers_marking_one_answer_at_once_give_one_mark(require_postgres, announced):
    quiz = make_quiz(specs=[SINGLE, ESSAY])
    attempt = submitted(quiz, UserFactory())
    trainers = [user_with_permissions("change_quiz", username=f"t{n}") for n in range(2)]
    target = essay_of(attempt).pk
    barrier = threading.Barrier(2)
    outcomes = []

    def mark(user, score):
        try:
            barrier.wait(timeout=20)
            outcomes.append(essay_grade(attempt_question_id=target, mark=score, comment="", user=user))
        except Exception as error:  # noqa: BLE001 - asserted on below
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=mark, args=(t, Decimal(n + 1))) for n, t in enumerate(trainers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    stored = [o for o in outcomes if isinstance(o, EssayGrade)]
    refused = [o for o in outcomes if isinstance(o, EssayAlreadyGraded)]
    assert len(stored) == 1 and len(refused) == 1, outcomes
    assert EssayGrade.objects.count() == 1 and AttemptGrade.objects.filter(attempt=attempt).count() == 1
    assert announced == [(attempt.pk, AttemptGrade.objects.get(attempt=attempt).passed)]


# ---------------------------------------------------------------------------- import and export

MOODLE_ESSAY = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="essay">
    <name><text>一网通办</text></name>
    <questiontext format="html"><text><![CDATA[<p>请论述“一网通办”的意义。</p>]]></text></questiontext>
    <generalfeedback format="html"><text></text></generalfeedback>
    <defaultgrade>4.0000000</defaultgrade>
    <penalty>0.0000000</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <responseformat>{format}</responseformat>
    <responserequired>1</responserequired>
    <responsefieldlines>15</responsefieldlines>
    <minwordlimit></minwordlimit>
    <maxwordlimit>{words}</maxwordlimit>
    <attachments>{attachments}</attachments>
    <attachmentsrequired>0</attachmentsrequired>
    <graderinfo format="html"><text><![CDATA[<p>要点：减少跑腿。</p>]]></text></graderinfo>
    <responsetemplate format="html"><text></text></responsetemplate>
  </question>
</quiz>
"""


@pytest.mark.parametrize(
    ("response_format", "words", "attachments", "notes"),
    [
        ("plain", "", "0", []),
        ("monospaced", "", "0", []),
        ("editor", "", "0", ["The answer is plain text here, not formatted text (Moodle's “editor”)."]),
        ("plain", "300", "1", ["Not kept by this bank, so not imported: attachments and word limits."]),
    ],
)
def test_a_moodle_essay_imports_with_its_grader_information(response_format, words, attachments, notes):

    data = MOODLE_ESSAY.format(format=response_format, words=words, attachments=attachments).encode()
    result = parse_moodle_xml(data)
    [item] = result.questions
    assert item.spec.qtype == QuestionType.ESSAY and item.spec.mark == Decimal("4")
    assert item.spec.grader_info == "<p>要点：减少跑腿。</p>" and item.spec.name == "一网通办"
    assert [p.message for p in result.problems] == notes
    assert all(not p.skipped for p in result.problems)


def test_an_essay_round_trips_through_moodle_xml():

    spec = QuestionSpec(
        qtype=QuestionType.ESSAY, stem="<p>请论述。</p>", mark=Decimal("4"), grader_info="<p>要点</p>", name="论述"
    )
    data = export_moodle_xml([ImportedQuestion(spec=spec, category="政务")])
    assert b"<responseformat>plain</responseformat>" in data
    result = parse_moodle_xml(data)
    assert result.problems == [] and result.questions[0].spec == spec


@pytest.mark.parametrize(
    ("text", "general_feedback"),
    [("::论述::请论述“一网通办”的意义。{}", ""), ("请论述。{####答题要点见教材第三章。}", "答题要点见教材第三章。")],
)
def test_empty_gift_braces_are_an_essay(text, general_feedback):

    result = parse_gift(text)
    [item] = result.questions
    assert item.spec.qtype == QuestionType.ESSAY and result.problems == []
    assert html_plain(item.spec.general_feedback) == general_feedback


def html_plain(text: str) -> str:
    return html_to_plain(text)


def test_an_essay_round_trips_through_gift_and_says_what_gift_cannot_hold():
    spec = QuestionSpec(qtype=QuestionType.ESSAY, stem="请论述。", grader_info="<p>要点</p>", response_max_length=300)
    items = [ImportedQuestion(spec=spec, category="")]
    text = export_gift(items)
    assert text.strip().endswith("{}")
    [item] = parse_gift(text).questions
    assert item.spec.qtype == QuestionType.ESSAY and html_plain(item.spec.stem) == "请论述。"
    [problem] = gift_unexportable(items)
    assert "the information for graders" in problem.message and "the longest answer allowed" in problem.message


def test_an_essay_round_trips_through_excel_with_its_reference_answer():
    spec = QuestionSpec(
        qtype=QuestionType.ESSAY, stem="<p>请论述。</p>", mark=Decimal("5"), grader_info="<p>要点：减少跑腿。</p>"
    )
    items = [ImportedQuestion(spec=spec, category="政务")]
    result = parse_excel(export_excel(items))
    assert result.problems == []
    [item] = result.questions
    assert (item.spec.qtype, item.spec.mark, html_plain(item.spec.grader_info)) == (
        QuestionType.ESSAY,
        Decimal("5"),
        "要点：减少跑腿。",
    )
    assert excel_unexportable(items) == []
    limited = [
        ImportedQuestion(spec=QuestionSpec(qtype=QuestionType.ESSAY, stem="x", response_max_length=9), category="")
    ]
    assert "the longest answer allowed" in excel_unexportable(limited)[0].message


def test_an_imported_essay_is_stored_with_its_grader_information(trainer):
    category = QuestionCategory.objects.create(name="导入")
    outcome = questions_import(result=parse_gift("::论述::请论述。{}"), default_category=category, user=trainer)
    [question] = outcome.created
    assert question.qtype == "essay" and question.current_version.spec["qtype"] == "essay"


# ---------------------------------------------------------------------------- learner and trainer pages


def test_the_attempt_page_offers_a_limited_textarea_and_the_form_saves_the_essay(client):
    learner = UserFactory()
    attempt = attempt_start(quiz=make_quiz(specs=[SINGLE, ESSAY]), user=learner)
    client.force_login(learner)
    page = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert '<textarea class="form-control" name="q2"' in page and 'maxlength="200"' in page
    assert "要点" not in page  # the grader information never reaches the learner
    url = reverse("quizzes:submit", args=[attempt.pk])
    response = client.post(url, {"q2": "第一行\n第二行", "action": "save", "answers_version": "0"})
    assert response.status_code == 302
    assert essay_of(attempt).saved_answers.get().response == {"text": "第一行\n第二行"}


def test_an_essay_over_its_limit_re_renders_the_page_keeping_the_text(client):
    learner = UserFactory()
    attempt = attempt_start(quiz=make_quiz(specs=[SINGLE, ESSAY]), user=learner)
    client.force_login(learner)
    response = client.post(
        reverse("quizzes:submit", args=[attempt.pk]), {"q2": "长" * 201, "action": "submit", "answers_version": "0"}
    )
    assert response.status_code == 400
    assert "长" * 201 in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.OPEN and not essay_of(attempt).saved_answers.exists()


def test_autosave_refuses_an_essay_over_its_limit(client):
    learner = UserFactory()
    attempt = attempt_start(quiz=make_quiz(specs=[SINGLE, ESSAY]), user=learner)
    client.force_login(learner)
    url = reverse("quizzes:autosave", args=[attempt.pk])
    too_long = client.post(url, {"answers": {"2": {"text": "长" * 201}}}, content_type="application/json")
    assert too_long.status_code == 400
    saved = client.post(url, {"answers": {"2": {"text": "长" * 200}}}, content_type="application/json")
    assert saved.status_code == 200 and essay_of(attempt).saved_answers.count() == 1


def test_a_trainer_s_attempt_page_shows_a_pending_attempt_s_essay(client, trainer):
    attempt = submitted(make_quiz(specs=[SINGLE, ESSAY]), UserFactory())
    client.force_login(trainer)
    response = client.get(reverse("quizzes_admin:attempt", args=[attempt.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Awaiting grading" in page and "减少群众跑腿，数据共享。" in page


def test_the_import_dry_run_shows_an_essay_and_its_grader_information(client, trainer, file_roots):
    client.force_login(trainer)
    upload = SimpleUploadedFile("bank.xml", MOODLE_ESSAY.format(format="plain", words="", attachments="0").encode())
    category = QuestionCategory.objects.create(name="导入")
    response = client.post(reverse("quizzes_admin:import"), {"file": upload, "category": category.pk})
    assert response.status_code == 200
    [row] = response.context["rows"]
    assert (row.qtype, row.answer) == ("Essay", "Marked by a trainer: 要点：减少跑腿。")
