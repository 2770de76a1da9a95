"""Trainers find questions and quizzes by any part of their text, Chinese included, on SQLite and
PostgreSQL; the quiz chooser (a quiz step's "quiz" field) lists the newest quiz first."""

import re

import pytest

from tests.factories.quizzes import make_question, make_quiz_of, single_choice, user_with_permissions

pytestmark = pytest.mark.django_db

QUIZ_CHOOSER = "/admin/snippets/choose/quizzes/quiz/"
QUESTION_CHOOSER = "/admin/snippets/choose/quizzes/question/"


@pytest.fixture
def trainer_client(client):
    client.force_login(
        user_with_permissions(
            "add_question", "change_question", "view_question", "add_quiz", "change_quiz", "view_quiz"
        )
    )
    return client


def chooser_html(client, url: str) -> str:
    response = client.get(url, headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 200
    if response.headers["Content-Type"].startswith("application/json"):  # the modal; results are HTML
        return response.json()["html"]
    return response.content.decode()


def listed_titles(html: str, titles: list[str]) -> list[str]:
    """The given titles in the order they appear in the chooser's table."""
    found = sorted((html.index(title), title) for title in titles if title in html)
    return [title for _position, title in found]


@pytest.fixture
def quizzes(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the search index is updated on commit
        question = make_question(single_choice("政务外网和互联网之间应当如何隔离？"))
        return [
            make_quiz_of([question], title="信息安全意见 知识检查", description="第一单元"),
            make_quiz_of([question], title="办公自动化 结业测验"),
            make_quiz_of([question], title="Network basics check", description="政务外网"),
        ]


def test_question_listing_search_finds_chinese_text_inside_a_stem(trainer_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the index is updated on commit
        make_question(single_choice("政务外网和互联网之间应当如何隔离？"))
        make_question(single_choice("办公终端离开时应当怎样做？"))
    response = trainer_client.get("/admin/snippets/quizzes/question/", {"q": "互联网"})
    assert response.status_code == 200  # was a 500 on SQLite: "no such column: stem"
    html = response.content.decode()
    assert "政务外网和互联网之间应当如何隔离" in html
    assert "办公终端离开时" not in html


@pytest.mark.parametrize("path", ["", "results/"])  # the page, and the results it refreshes as one types
def test_question_search_answers_and_finds_a_question_by_a_latin_word_too(
    trainer_client, path, django_capture_on_commit_callbacks
):
    # Any query answered 500 on SQLite ("no such column: stem") while the search backend was used.
    with django_capture_on_commit_callbacks(execute=True):
        make_question(single_choice("What separates the government extranet from the internet?"))
        make_question(single_choice("办公终端离开时应当怎样做？"))
    response = trainer_client.get(f"/admin/snippets/quizzes/question/{path}", {"q": "Extranet"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "government extranet" in html and "办公终端离开时" not in html


def test_quiz_listing_search_finds_chinese_text_inside_a_title(trainer_client, quizzes):
    html = trainer_client.get("/admin/snippets/quizzes/quiz/", {"q": "结业"}).content.decode()
    assert "办公自动化 结业测验" in html and "信息安全意见" not in html


def test_quiz_chooser_offers_a_search_field(trainer_client, quizzes):
    html = chooser_html(trainer_client, QUIZ_CHOOSER)
    assert re.search(r'<input[^>]+name="q"', html)


def test_quiz_chooser_lists_the_newest_quiz_first(trainer_client, quizzes):
    titles = [quiz.title for quiz in quizzes]
    html = chooser_html(trainer_client, QUIZ_CHOOSER)
    assert listed_titles(html, titles) == list(reversed(titles))


def test_quiz_chooser_finds_chinese_text_inside_a_title_or_its_instructions(trainer_client, quizzes):
    html = chooser_html(trainer_client, f"{QUIZ_CHOOSER}results/?q=知识")
    assert listed_titles(html, [quiz.title for quiz in quizzes]) == ["信息安全意见 知识检查"]
    html = chooser_html(trainer_client, f"{QUIZ_CHOOSER}results/?q=外网")
    assert listed_titles(html, [quiz.title for quiz in quizzes]) == ["Network basics check"]


def test_quiz_chooser_search_ignores_case_of_latin_text(trainer_client, quizzes):
    html = chooser_html(trainer_client, f"{QUIZ_CHOOSER}results/?q=NETWORK")
    assert "Network basics check" in html and "结业测验" not in html


def test_question_chooser_finds_chinese_text_inside_a_stem_newest_first(
    trainer_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_question(single_choice("政务外网和互联网之间应当如何隔离？"))
        make_question(single_choice("互联网上的政务网站应当如何备案？"))
        make_question(single_choice("办公终端离开时应当怎样做？"))
    html = chooser_html(trainer_client, f"{QUESTION_CHOOSER}results/?q=互联网")
    assert listed_titles(html, ["政务外网和互联网", "互联网上的政务网站", "办公终端"]) == [
        "互联网上的政务网站",
        "政务外网和互联网",
    ]


@pytest.mark.parametrize("query", ["安全", "电子公文", "数字证书"])  # the three of issue 15
def test_question_listing_and_chooser_find_words_through_the_segmented_index(
    trainer_client, query, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_question(single_choice("收到电子公文后，如何核验数字证书的签章，以确保网络安全？"))
        make_question(single_choice("办公终端离开时应当怎样做？"))
    listing = trainer_client.get("/admin/snippets/quizzes/question/", {"q": query}).content.decode()
    chooser = chooser_html(trainer_client, f"{QUESTION_CHOOSER}results/?q={query}")
    for html in (listing, chooser):
        assert "如何核验数字证书的签章" in html and "办公终端离开时" not in html


def test_question_search_does_not_match_characters_across_words(trainer_client, django_capture_on_commit_callbacks):
    """A substring match would find 全网 inside 安全网关 (安全|网关); the segmented index does not."""
    with django_capture_on_commit_callbacks(execute=True):
        make_question(single_choice("安全网关的作用是什么？"))
    html = trainer_client.get("/admin/snippets/quizzes/question/", {"q": "全网"}).content.decode()
    assert "安全网关的作用" not in html


def test_quiz_listing_and_chooser_do_not_match_characters_across_words(
    trainer_client, django_capture_on_commit_callbacks
):
    """A substring match finds 全网 inside 安全网关 (安全|网关); the segmented index does not."""
    with django_capture_on_commit_callbacks(execute=True):
        make_quiz_of([make_question(single_choice("题"))], title="安全网关 知识检查")
    listing = trainer_client.get("/admin/snippets/quizzes/quiz/", {"q": "全网"}).content.decode()
    chooser = chooser_html(trainer_client, f"{QUIZ_CHOOSER}results/?q=全网")
    assert "安全网关 知识检查" not in listing and "安全网关 知识检查" not in chooser
    chooser = chooser_html(trainer_client, f"{QUIZ_CHOOSER}results/?q=网关")
    assert "安全网关 知识检查" in chooser
