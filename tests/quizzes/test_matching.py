"""Matching questions (QuestionMatchPair, issue 14 item 2) through the admin form, the bank, the
learner page (nothing about the pairing before submitting), autosave, a submission, the review and
the trainers' pages. The grading rule: test_matching_grades.py."""

import json
import random
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from quizzes.admin_views import _answer_summary
from quizzes.models import AttemptQuestion, Question
from quizzes.selectors import attempt_for_admin, attempt_questions_for_learner, quiz_item_analysis_report
from quizzes.services import answers_save, attempt_start, attempt_submit, question_spec
from quizzes.specs import MatchPairSpec, QuestionSpec, QuestionType, match_answer_key, spec_from_data
from tests.factories import UserFactory
from tests.factories.quizzes import QuestionCategoryFactory, contentstate, question_form_data
from tests.quizzes.conftest import make_quiz

D = Decimal
A = match_answer_key

SPEC = QuestionSpec(
    qtype=QuestionType.MATCHING,
    stem="把法律与施行年份配对。",
    mark=D(3),
    pairs=(
        MatchPairSpec("", "<p>网络安全法</p>", "Y2017"),
        MatchPairSpec("", "<p>数据安全法</p>", "Y2021"),
        MatchPairSpec("", "<p>个人信息保护法</p>", "Y2021-11"),
        MatchPairSpec("", "", "Y2000"),
    ),
)


@pytest.fixture
def trainer_client(client, db, file_roots):
    client.force_login(UserFactory(username="matching-trainer", is_superuser=True, is_staff=True))
    return client


def form_data(category, pairs, name="法律年份"):
    rows = [{"text": contentstate(text), "answer": answer} for text, answer in pairs]
    return question_form_data(category, "matching", name=name, stem=contentstate("配对"), mark="3", match_pairs=rows)


def test_the_admin_form_stores_pairs_and_refuses_what_moodle_refuses(trainer_client):
    category = QuestionCategoryFactory()
    add_url = reverse(Question.snippet_viewset.get_url_name("add"))
    assert 'name="match_pairs-__prefix__-answer"' in trainer_client.get(add_url).content.decode()

    response = trainer_client.post(
        add_url, form_data(category, [("网络安全法", "2017"), ("数据安全法", "2021"), ("", "2000")])
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get(name="法律年份")
    spec = spec_from_data(question.current_version.spec)
    assert [(p.text, p.answer) for p in spec.pairs] == [
        ("<p>网络安全法</p>", "2017"),
        ("<p>数据安全法</p>", "2021"),
        ("", "2000"),
    ]
    assert spec == question_spec(question)

    # Two sub-questions and two answers: refused, as Moodle's edit form refuses it.
    refused = trainer_client.post(
        add_url, form_data(category, [("网络安全法", "2017"), ("数据安全法", "2021")], "太少")
    )
    assert refused.status_code == 200 and not Question.objects.filter(name="太少").exists()
    assert "at least 2 sub-questions and 3 answers" in refused.content.decode()
    # A sub-question without its answer: refused, naming it.
    refused = trainer_client.post(
        add_url, form_data(category, [("网络安全法", "2017"), ("数据安全法", ""), ("", "2000")], "缺答案")
    )
    assert refused.status_code == 200 and not Question.objects.filter(name="缺答案").exists()
    assert "数据安全法" in refused.content.decode()


def test_the_answers_order_is_drawn_per_attempt_and_not_the_pairs_order(db):
    quiz = make_quiz(specs=[SPEC])
    orders = set()
    for seed in range(12):
        attempt = attempt_start(quiz=quiz, user=UserFactory(), rng=random.Random(seed))
        aq = AttemptQuestion.objects.get(attempt=attempt)
        answers = [key for key in aq.choice_order if key.startswith("a")]
        assert sorted(answers) == sorted(A(x) for x in ("Y2017", "Y2021", "Y2021-11", "Y2000"))
        orders.add(tuple(answers))
        # The page shows them in the drawn order, and again in the same order (the review too).
        shown = [option.key for option in attempt_questions_for_learner(attempt=attempt)[0].match_answers]
        assert shown == answers
    assert len(orders) > 3  # shuffled, not the trainer's order every time


def test_learner_page_autosave_submit_and_review(client, db):
    quiz = make_quiz(specs=[SPEC])
    learner = UserFactory()
    client.force_login(learner)
    attempt = attempt_start(quiz=quiz, user=learner, rng=random.Random(3))
    stems = [p.key for p in spec_from_data(attempt.questions.get().version.spec).pairs if p.text]

    page = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    # Every answer is offered to every sub-question; nothing on the page ties an answer to its pair.
    assert page.count(f'value="{A("Y2000")}"') == 3
    selects = re.findall(r'<select name="q1-m-(\w+)"', page)
    assert sorted(selects) == sorted(stems)
    assert 'data-qtype="matching"' in page

    saved = answers_save(
        attempt_id=attempt.pk, user=learner, answers={"1": {"matches": {stems[0]: A("Y2017"), stems[1]: A("Y2000")}}}
    )
    assert saved.version > 0
    page = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert f'<option value="{A("Y2017")}" selected' in page

    # The plain form post (no JavaScript) carries the selects; "Choose…" again clears one.
    response = client.post(
        reverse("quizzes:submit", args=[attempt.pk]),
        {
            "action": "submit",
            f"q1-m-{stems[0]}": A("Y2017"),
            f"q1-m-{stems[1]}": A("Y2021"),
            f"q1-m-{stems[2]}": "",
            "answers_version": str(saved.version),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    graded = attempt.grades.get()
    assert graded.score == D("2.0000")  # two of three sub-questions, of 3 marks

    review = client.get(reverse("quizzes:review", args=[attempt.pk])).content.decode()
    assert review.count("tag tag-ok") == 2 and "Wrong match" in review
    assert "Partly correct" in review and "Y2021-11" in review  # the right answer of the one left blank


def test_trainers_pages_show_the_pairs(db):
    quiz = make_quiz(specs=[SPEC])
    learner = UserFactory()
    attempt = attempt_start(quiz=quiz, user=learner)
    stems = [p.key for p in spec_from_data(attempt.questions.get().version.spec).pairs if p.text]
    attempt_submit(attempt_id=attempt.pk, user=learner, answers={1: {"matches": {stems[0]: A("Y2017")}}})

    _grade, answers, _history = attempt_for_admin(attempt=attempt)
    assert answers[0].response == ["网络安全法 → Y2017"]
    assert answers[0].right_answer == ["网络安全法 → Y2017", "数据安全法 → Y2021", "个人信息保护法 → Y2021-11"]
    assert answers[0].score == D("1.0000")

    report = quiz_item_analysis_report(quiz=quiz)  # does not break on the new type
    assert report.questions[0].qtype == "matching" and report.questions[0].choices == []

    assert _answer_summary(SPEC) == "网络安全法 → Y2017 | 数据安全法 → Y2021 | 个人信息保护法 → Y2021-11 | — → Y2000"


def test_import_dry_run_refuses_what_moodle_refuses_and_the_confirm_stores_the_rest(db):
    from quizzes.formats import parse_gift
    from quizzes.services import questions_import, questions_import_check

    gift = (
        "::好题:: 配对 {=<b>网络安全法</b> -> 2017 =数据安全法 -> 2021 = -> 2000 }\n\n"
        "::太少:: 配对 {=网络安全法 -> 2017 =数据安全法 -> 2021 }\n\n"
        "::太长:: 配对 {=网络安全法 -> " + "7" * 501 + " =数据安全法 -> 2021 = -> 2000 }\n"
    )
    result = parse_gift(gift)
    category = QuestionCategoryFactory()
    prepared = questions_import_check(result=result, default_category=category, use_file_categories=False)
    assert [p.refused for p in prepared] == [False, True]  # the file's parser refused "太少" already
    assert "answer" in " ".join(str(problem.message) for problem in prepared[1].problems)

    questions_import(result=result, default_category=category, user=UserFactory(), use_file_categories=False)
    question = Question.objects.get(name="好题")
    assert [(p.text, p.answer) for p in question.match_pairs.all()] == [
        ("<b>网络安全法</b>", "2017"),
        ("数据安全法", "2021"),
        ("", "2000"),
    ]
    assert spec_from_data(question.current_version.spec) == question_spec(question)
    assert not Question.objects.filter(name__in=["太少", "太长"]).exists()


def test_the_trainers_admin_pages_show_a_matching_question(trainer_client):
    from tests.quizzes.test_admin_tools import confirm, upload

    quiz = make_quiz(specs=[SPEC])
    learner = UserFactory()
    attempt = attempt_start(quiz=quiz, user=learner)
    stems = [p.key for p in spec_from_data(attempt.questions.get().version.spec).pairs if p.text]
    attempt_submit(attempt_id=attempt.pk, user=learner, answers={1: {"matches": {stems[1]: A("Y2021")}}})

    analysis = trainer_client.get(reverse("quizzes_admin:item_analysis", args=[quiz.pk]))
    assert analysis.status_code == 200 and "Matching" in analysis.content.decode()
    detail = trainer_client.get(reverse("quizzes_admin:attempt", args=[attempt.pk]))
    assert detail.status_code == 200 and "数据安全法 → Y2021" in detail.content.decode()

    gift = "$CATEGORY: 法律\n\n::导入的匹配题:: 配对 {=网络安全法 -> 2017 =数据安全法 -> 2021 = -> 2000 }\n"
    dry_run = upload(trainer_client, gift.encode())
    page = dry_run.content.decode()
    assert dry_run.status_code == 200 and "Matching" in page and "网络安全法 → 2017" in page
    confirmed = confirm(trainer_client, dry_run)
    assert confirmed.status_code == 302
    assert Question.objects.get(name="导入的匹配题").match_pairs.count() == 3


def test_autosave_takes_the_answers_quiz_js_sends_and_refuses_foreign_keys(client, db):
    quiz = make_quiz(specs=[SPEC])
    learner = UserFactory()
    client.force_login(learner)
    attempt = attempt_start(quiz=quiz, user=learner)
    stems = [p.key for p in spec_from_data(attempt.questions.get().version.spec).pairs if p.text]
    url = reverse("quizzes:autosave", args=[attempt.pk])

    # quiz.js sends every select, "" for those still on "Choose an answer…".
    body = {"answers": {"1": {"matches": {stems[0]: A("Y2017"), stems[1]: "", stems[2]: A("Y2000")}}}}
    saved = client.post(url, json.dumps(body), content_type="application/json")
    assert saved.status_code == 200, saved.content
    aq = attempt.questions.get()
    assert aq.saved_answers.get().response == {"matches": {stems[0]: A("Y2017"), stems[2]: A("Y2000")}}

    for bad in ({"matches": {"nope": A("Y2017")}}, {"matches": {stems[0]: "a0123456789"}}, {"matches": [A("Y2017")]}):
        refused = client.post(url, json.dumps({"answers": {"1": bad}}), content_type="application/json")
        assert refused.status_code == 400
    assert aq.saved_answers.count() == 1
