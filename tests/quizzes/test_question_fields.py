"""The exam page's question fields (quizzes.question_fields): escaping, the learner's saved
answers shown, both languages. The browser tests (tests/browser/test_form_buttons.py,
test_matching.py, test_short_answers.py, ...) answer these fields through quiz.js."""

import pytest
from django.utils import translation

from quizzes.question_fields import question_fields
from quizzes.selectors import ChoiceOption, QuestionForLearner

PAYLOAD = '<p>安全 <script>alert(1)</script><img src="x" onerror="alert(2)"><a href="javascript:alert(3)">链接</a></p>'


def _question(qtype, *, response=None, options=None, **extra):
    return QuestionForLearner(
        position=3,
        qtype=qtype,
        stem=PAYLOAD,
        mark="2.50",
        options=options
        if options is not None
        else [ChoiceOption(key="a", text=PAYLOAD), ChoiceOption(key='b"><script>x</script>', text="二")],
        response=response or {},
        **extra,
    )


@pytest.mark.parametrize("qtype", ["single", "multiple", "truefalse", "ordering", "fillblank", "essay", "numerical"])
def test_no_script_event_handler_or_javascript_link_survives(qtype):
    html = str(question_fields(_question(qtype, response={"text": '"><script>alert(4)</script>'}, max_length=100)))
    lowered = html.lower()
    assert "<script" not in lowered
    assert "onerror" not in lowered
    assert "javascript:" not in lowered
    assert "安全" in html


def test_a_key_with_quotes_is_escaped_in_names_ids_and_values():
    html = str(question_fields(_question("single")))
    assert 'value="b&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in html
    assert 'id="q3-b&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in html


def test_saved_answers_are_shown_checked_and_selected():
    single = str(question_fields(_question("single", response={"choice": "a"})))
    assert 'id="q3-a" value="a" checked>' in single
    assert single.count(" checked") == 1

    multiple = str(question_fields(_question("multiple", response={"choices": ["a"]})))
    assert 'name="q3-present" value="1"' in multiple
    assert 'value="a" checked>' in multiple and multiple.count(" checked") == 1

    ordering = _question(
        "ordering", options=[ChoiceOption(key="a", text="一", position=2), ChoiceOption(key="b", text="二", position=1)]
    )
    html = str(question_fields(ordering))
    assert (
        '<select name="q3-pos-a" id="q3-pos-a" data-order-key="a"><option value="1">1</option><option value="2" selected>'
        in html
    )

    matching = _question(
        "matching",
        options=[],
        response={"matches": {"s1": "m2"}},
        subquestions=[("s1", "电子公文")],
        match_answers=[ChoiceOption(key="m1", text="OA"), ChoiceOption(key="m2", text="CA 证书")],
    )
    html = str(question_fields(matching))
    assert '<option value="m2" selected' in html and '<option value="m1">' in html


def test_text_answers_keep_what_was_typed_escaped():
    html = str(question_fields(_question("fillblank", response={"text": 'a < b & "c"'})))
    assert 'value="a &lt; b &amp; &quot;c&quot;"' in html
    essay = str(question_fields(_question("essay", response={"text": "</textarea><b>x"}, max_length=50)))
    assert 'maxlength="50"' in essay and "&lt;/textarea&gt;&lt;b&gt;x</textarea>" in essay


def test_both_languages_and_the_mark():
    with translation.override("en"):
        html = str(question_fields(_question("multiple")))
        assert "(2.50 marks)" in html and "Choose all that apply." in html
        description = str(question_fields(_question("description")))
        assert 'aria-label="Item 3, text only"' in description and "<fieldset" not in description
    with translation.override("zh-hans"):
        html = str(question_fields(_question("multiple")))
        assert "Choose all that apply." not in html and "(2.50 marks)" not in html
