"""One question of an open attempt as the learner answers it: its fieldset of inputs.

Built in Python rather than a template: an exam page holds twenty questions with their options,
and 100 learners open it at the same instant when an exam starts. The template engine spent most
of that page's time resolving variables and escaping (quiz_submit.py --profile-start). Every value
is escaped here as the template did (`escape`), and the question HTML is marked safe only by
quizzes.templatetags.question_html, as the sanitiser's output.
"""

from __future__ import annotations

from django.template.defaultfilters import floatformat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from config.language import plural_number
from config.language_tags import lang_attr

from .selectors import QuestionForLearner
from .templatetags.question_html import question_html, question_html_inline, question_plain


def _text_attrs(text: str) -> str:
    """The lang attribute that question text needs on this page (config.language_tags.lang_attr)."""
    return lang_attr(question_plain(text))


def _option_label(field_id: str, text: str) -> str:
    return f'<label for="{field_id}"><span{_text_attrs(text)}>{question_html_inline(text)}</span></label>'


def _choices(question: QuestionForLearner, name: str, *, multiple: bool) -> list[str]:
    parts = []
    if multiple:
        chosen = question.response.get("choices") or []
    else:
        chosen = question.response.get("choice")
    kind = "checkbox" if multiple else "radio"
    for option in question.options:
        key = escape(option.key)
        field_id = f"{name}-{key}"
        checked = option.key in chosen if multiple else chosen == option.key
        parts.append(
            '<div class="option">'
            f'<input type="{kind}" name="{name}" id="{field_id}" value="{key}"{" checked" if checked else ""}>\n'
            f"{_option_label(field_id, option.text)}</div>"
        )
    return parts


def _text_input(question: QuestionForLearner, name: str, label: str, *, numeric: bool = False) -> str:
    value = escape(question.response.get("text") or "")
    mode = ' inputmode="decimal"' if numeric else ""
    described = f' aria-describedby="{name}-number-help"' if numeric else ""
    return (
        f'<label for="{name}-text" class="form-label">{escape(label)}</label>\n'
        f'<input type="text" class="form-control" name="{name}" id="{name}-text" maxlength="500"'
        f' value="{value}"{mode} autocomplete="off"{described}>'
    )


def _ordering(question: QuestionForLearner, name: str) -> list[str]:
    parts = [f'<p class="meta">{escape(gettext("Give each item its position (1 = first)."))}</p>']
    parts.append('<ol class="ordering" data-ordering>')
    count = len(question.options)
    for option in question.options:
        key = escape(option.key)
        field_id = f"{name}-pos-{key}"
        choices = "".join(
            f'<option value="{n}"{" selected" if n == option.position else ""}>{n}</option>'
            for n in range(1, count + 1)
        )
        parts.append(
            '<li class="ordering-item">'
            f"{_option_label(field_id, option.text)}\n"
            f'<select name="{field_id}" id="{field_id}" data-order-key="{key}">{choices}</select></li>'
        )
    parts.append("</ol>")
    return parts


def _matching(question: QuestionForLearner, name: str) -> list[str]:
    parts = [f'<p class="meta">{escape(gettext("Choose the answer that goes with each item."))}</p>']
    parts.append('<ul class="matching" data-matching>')
    prompt = escape(gettext("Choose an answer…"))
    for row in question.match_rows:
        key = escape(row.key)
        field_id = f"{name}-m-{key}"
        answers = "".join(
            f'<option value="{escape(answer.key)}"{" selected" if answer.key == row.chosen else ""}'
            f"{lang_attr(answer.text)}>{escape(answer.text)}</option>"
            for answer in question.match_answers
        )
        parts.append(
            '<li class="matching-item">'
            f"{_option_label(field_id, row.text)}\n"
            f'<select name="{field_id}" id="{field_id}" data-match-key="{key}">'
            f'<option value="">{prompt}</option>{answers}</select></li>'
        )
    parts.append("</ul>")
    return parts


def _answer_fields(question: QuestionForLearner, name: str) -> list[str]:
    qtype = question.qtype
    if qtype in ("single", "truefalse"):
        return _choices(question, name, multiple=False)
    if qtype == "multiple":
        return [
            f'<p class="meta">{escape(gettext("Choose all that apply."))}</p>',
            f'<input type="hidden" name="{name}-present" value="1">',
            *_choices(question, name, multiple=True),
        ]
    if qtype == "fillblank":
        return [_text_input(question, name, gettext("Your answer"))]
    if qtype == "numerical":
        help_text = gettext("Digits with a point for decimals, e.g. 12.5 or -0.75; no units.")
        return [
            _text_input(question, name, gettext("Your answer (a number)"), numeric=True),
            f'<p class="meta" id="{name}-number-help">{escape(help_text)}</p>',
        ]
    if qtype == "essay":
        limit = question.max_length
        text = escape(question.response.get("text") or "")
        note = gettext("Plain text, at most %(limit)s characters. A trainer marks this answer after you submit.") % {
            "limit": limit
        }
        return [
            f'<label for="{name}-text" class="form-label">{escape(gettext("Your answer"))}</label>\n',
            f'<textarea class="form-control" name="{name}" id="{name}-text" rows="10" maxlength="{limit}"'
            f' aria-describedby="{name}-limit">{text}</textarea>',
            f'<p class="meta" id="{name}-limit">{escape(note)}</p>',
        ]
    if qtype == "ordering":
        return _ordering(question, name)
    if qtype == "matching":
        return _matching(question, name)
    return []


def question_fields(question: QuestionForLearner) -> SafeString:
    """The question's fieldset (a text-only section for a description), as quiz.js reads it."""
    position = int(question.position)
    stem = f'<div class="question-text"{_text_attrs(question.stem)}>{question_html(question.stem)}</div>'
    if question.qtype == "description":
        label = escape(gettext("Item %(n)s, text only") % {"n": position})
        return mark_safe(  # noqa: S308 - every value above is escaped or sanitised question HTML
            f'<section class="question card question-description" id="question-{position}"'
            f' data-qtype="description" aria-label="{label}">'
            f'<div class="card-body question-text"{_text_attrs(question.stem)}>{question_html(question.stem)}</div>'
            "</section>"
        )
    mark = floatformat(question.mark, "-2")
    marks = ngettext("(%(mark)s mark)", "(%(mark)s marks)", plural_number(question.mark)) % {"mark": mark}
    name = f"q{position}"
    fields = "".join(_answer_fields(question, name))
    return mark_safe(  # noqa: S308 - every value above is escaped or sanitised question HTML
        f'<fieldset class="question card" id="question-{position}" data-position="{position}"'
        f' data-qtype="{escape(question.qtype)}">'
        f'<legend class="question-stem"><span class="question-number">{position}.</span> {stem}'
        f' <span class="meta">{escape(marks)}</span></legend>'
        f'<div class="card-body">{fields}</div></fieldset>'
    )
