"""Demo quizzes: a knowledge check and a final exam in every demo course, and the attempts of
the demo learners who reached them, so item analysis and reports have data.

Attempts are written in bulk (thousands of them), graded with the same pure grading function
the services use; the learner-facing path (services) is covered by the tests."""

import dataclasses
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from wagtail.models import Page

from courses.models import CoursePage, LessonPage, QuizStepPage
from quizzes.grading import attempt_grade, grade
from quizzes.models import (
    Attempt,
    AttemptGrade,
    AttemptQuestion,
    QuestionCategory,
    QuestionGrade,
    QuestionVersion,
    Quiz,
    QuizSlot,
    SavedAnswer,
)
from quizzes.question_html import plain_to_html
from quizzes.services import question_create
from quizzes.specs import ChoiceSpec, QuestionSpec, QuestionType, Scoring, spec_from_data

from .content.quizzes import QUIZZES

KIND_SLUGS = {"knowledge_check": "knowledge-check", "final_exam": "final-exam"}


def _spec(data: dict) -> QuestionSpec:
    """The demo's texts are plain; a spec holds HTML (quizzes.question_html)."""
    spec = _plain_spec(data)
    return dataclasses.replace(
        spec,
        stem=plain_to_html(spec.stem),
        general_feedback=plain_to_html(spec.general_feedback),
        choices=tuple(
            dataclasses.replace(c, text=plain_to_html(c.text), feedback=plain_to_html(c.feedback)) for c in spec.choices
        ),
    )


def _plain_spec(data: dict) -> QuestionSpec:
    qtype = QuestionType(data["type"])
    mark = Decimal(str(data.get("mark", 1)))
    feedback = data.get("feedback", "")
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        choices = tuple(ChoiceSpec(key="", text=t, correct=c, feedback=f) for t, c, f in data["choices"])
        scoring = Scoring(data.get("scoring", "all_or_nothing"))
        return QuestionSpec(
            qtype=qtype, stem=data["stem"], mark=mark, choices=choices, scoring=scoring, general_feedback=feedback
        )
    if qtype == QuestionType.TRUE_FALSE:
        choices = (
            ChoiceSpec(key="", text="正确", correct=data["answer"] is True),
            ChoiceSpec(key="", text="错误", correct=data["answer"] is False),
        )
        return QuestionSpec(qtype=qtype, stem=data["stem"], mark=mark, choices=choices, general_feedback=feedback)
    if qtype == QuestionType.FILL_BLANK:
        return QuestionSpec(
            qtype=qtype,
            stem=data["stem"],
            mark=mark,
            accepted_answers=tuple(data["accepted"]),
            case_sensitive=data.get("case_sensitive", False),
            general_feedback=feedback,
        )
    choices = tuple(ChoiceSpec(key="", text=item) for item in data["items"])
    return QuestionSpec(
        qtype=qtype, stem=data["stem"], mark=mark, choices=choices, scoring=Scoring.PARTIAL, general_feedback=feedback
    )


def _quiz(title: str, course: CoursePage, kind: str, questions: list[dict], author) -> Quiz:
    quiz = Quiz.objects.filter(title=title).first()
    if quiz is not None:
        return quiz
    category, _created = QuestionCategory.objects.get_or_create(
        name=f"{course.title[:90]}·{'随堂' if kind == 'knowledge_check' else '结业'}"
    )
    created = [question_create(spec=_spec(data), category=category, user=author) for data in questions]
    final = kind == "final_exam"
    quiz = Quiz.objects.create(
        title=title,
        description="本测验由服务器评分。答案会在作答时自动保存。"
        if not final
        else "结业测试限时 20 分钟，达到 60 分即为通过，可作答 3 次，取最高分。",
        pass_mark_percent=Decimal("60"),
        attempts_allowed=3 if final else 0,
        time_limit_minutes=20 if final else None,
        shuffle_questions=final,
        shuffle_choices=True,
        layout=Quiz.Layout.ALL_ON_ONE if final else Quiz.Layout.ONE_PER_PAGE,
        review_when=Quiz.ReviewWhen.IMMEDIATELY if not final else Quiz.ReviewWhen.AFTER_PASSING,
    )
    QuizSlot.objects.bulk_create(
        QuizSlot(quiz=quiz, question=question, sort_order=index) for index, question in enumerate(created)
    )
    return quiz


def load_quizzes(report, courses: list[CoursePage], author) -> None:
    """Put a knowledge check after the step the content names, and a final exam at the end."""
    for course in courses:
        spec = QUIZZES.get(course.slug)
        if spec is None:
            continue
        for kind in ("knowledge_check", "final_exam"):
            slug = KIND_SLUGS[kind]
            if QuizStepPage.objects.child_of(course).filter(slug=slug).exists():
                continue
            quiz = _quiz(spec[kind]["title"], course, kind, spec[kind]["questions"], author)
            step = QuizStepPage(title=spec[kind]["title"], slug=slug, quiz=quiz, kind=kind, owner=author)
            anchor = None
            if kind == "knowledge_check":
                anchor = LessonPage.objects.child_of(course).filter(slug=spec[kind]["after_step"]).first()
            if anchor is not None:
                anchor.add_sibling(pos="right", instance=step)
            else:
                course.refresh_from_db()
                course.add_child(instance=step)
            step.save_revision(user=author).publish()
            report.add("quiz steps")


@dataclass(frozen=True)
class AttemptPlan:
    user_id: int
    quiz_step_id: int
    moment: datetime
    must_pass: bool  # the learner's progress shows the quiz step as done


def quizzes_by_step(courses: list[CoursePage]) -> dict[int, Quiz]:
    catalogue_path = courses[0].path[: -Page.steplen]
    steps = QuizStepPage.objects.filter(path__startswith=catalogue_path).select_related("quiz")
    return {step.pk: step.quiz for step in steps}


def _response(spec: QuestionSpec, right: bool, rng: random.Random) -> dict:
    keys = [choice.key for choice in spec.choices]
    correct = [choice.key for choice in spec.choices if choice.correct]
    wrong = [key for key in keys if key not in correct]
    if spec.qtype in (QuestionType.SINGLE, QuestionType.TRUE_FALSE):
        return {"choice": correct[0] if right or not wrong else rng.choice(wrong)}
    if spec.qtype == QuestionType.MULTIPLE:
        if right:
            return {"choices": correct}
        picked = [key for key in keys if rng.random() < 0.5] or [rng.choice(keys)]
        return {"choices": picked}
    if spec.qtype == QuestionType.FILL_BLANK:
        return {"text": spec.accepted_answers[0] if right else "不清楚"}
    order = keys[:]
    if not right:
        while order == keys and len(keys) > 1:
            rng.shuffle(order)
    return {"order": order}


def load_attempts(report, plans: list[AttemptPlan], quizzes_by_step: dict[int, Quiz], seed: int) -> None:
    rng = random.Random(seed)
    quiz_versions: dict[int, list[QuestionVersion]] = {}
    for quiz in {q.pk: q for q in quizzes_by_step.values()}.values():
        slots = QuizSlot.objects.filter(quiz=quiz).order_by("sort_order").select_related("question__current_version")
        quiz_versions[quiz.pk] = [slot.question.current_version for slot in slots]
    existing = set(Attempt.objects.values_list("user_id", "quiz_id"))
    attempts, pending = [], []
    for plan in plans:
        quiz = quizzes_by_step[plan.quiz_step_id]
        if (plan.user_id, quiz.pk) in existing:
            continue
        ability = rng.uniform(0.35, 0.95)
        # A learner shown as past the quiz passed it (at the latest on a full-marks retry);
        # one who has not got past it has not passed (the bulk path sends no "graded" signal).
        tries = [ability, 1.0] if plan.must_pass else [min(ability, 0.4)]
        for number, skill in enumerate(tries, start=1):
            versions = quiz_versions[quiz.pk]
            specs = [spec_from_data(v.spec) for v in versions]
            responses = [_response(spec, rng.random() < skill, rng) for spec in specs]
            results = [grade(spec, response) for spec, response in zip(specs, responses, strict=True)]
            max_score = sum((spec.mark for spec in specs), Decimal("0"))
            score, percent, passed = attempt_grade(
                results, max_score=max_score, pass_mark_percent=quiz.pass_mark_percent
            )
            if not plan.must_pass and passed:
                responses = [_response(spec, False, rng) for spec in specs]
                results = [grade(spec, response) for spec, response in zip(specs, responses, strict=True)]
                score, percent, passed = attempt_grade(
                    results, max_score=max_score, pass_mark_percent=quiz.pass_mark_percent
                )
            when = plan.moment - timedelta(minutes=30 * (len(tries) - number))
            attempts.append(
                Attempt(
                    quiz=quiz,
                    user_id=plan.user_id,
                    number=number,
                    status=Attempt.Status.GRADED,
                    started_at=when - timedelta(minutes=12),
                    submitted_at=when,
                    closed_by=Attempt.ClosedBy.LEARNER,
                    pass_mark_percent=quiz.pass_mark_percent,
                    max_score=max_score,
                )
            )
            pending.append((versions, responses, results, (score, percent, passed, max_score), when))
            if passed or not plan.must_pass:
                break
    Attempt.objects.bulk_create(attempts, batch_size=1000)
    questions, saved, grades = [], [], []
    for attempt, (versions, _responses, _results, figures, when) in zip(attempts, pending, strict=True):
        for position, version in enumerate(versions, start=1):
            keys = [c["key"] for c in version.spec["choices"]]
            questions.append(AttemptQuestion(attempt=attempt, position=position, version=version, choice_order=keys))
        score, percent, passed, max_score = figures
        grades.append(
            AttemptGrade(
                attempt=attempt,
                reason=AttemptGrade.Reason.SUBMITTED,
                score=score,
                max_score=max_score,
                percent=percent,
                passed=passed,
                graded_at=when,
            )
        )
    AttemptQuestion.objects.bulk_create(questions, batch_size=2000)
    AttemptGrade.objects.bulk_create(grades, batch_size=1000)
    question_rows = iter(questions)
    question_grades = []
    for grade_row, (versions, responses, results, _figures, when) in zip(grades, pending, strict=True):
        for version, response, result in zip(versions, responses, results, strict=True):
            aq = next(question_rows)
            saved.append(SavedAnswer(attempt_question=aq, response=response, saved_at=when))
            question_grades.append(
                QuestionGrade(
                    grade=grade_row,
                    attempt_question=aq,
                    version=version,
                    response=response,
                    score=result.score,
                    fraction=result.fraction,
                    correct=result.correct,
                )
            )
    SavedAnswer.objects.bulk_create(saved, batch_size=2000)
    QuestionGrade.objects.bulk_create(question_grades, batch_size=2000)
    report.add("quiz attempts", len(attempts))
