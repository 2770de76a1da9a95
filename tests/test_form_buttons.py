"""A form with more than one submit button tells the server which one was pressed, by one field
that every button of the form names. (Forms that relied on a button's absence once made "save"
submit a quiz.) Checked on every template of the project."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORM = re.compile(r"<form\b.*?</form>", re.S)
SUBMIT = re.compile(r"<button\b(?![^>]*type=\"button\")[^>]*>|<input\b[^>]*type=\"submit\"[^>]*>", re.S)
NAME = re.compile(r'\bname="([^"]+)"')


def multi_button_forms():
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for form in FORM.findall(path.read_text()):
            buttons = SUBMIT.findall(form)
            if len(buttons) > 1:
                yield path.relative_to(ROOT), buttons


def test_the_project_has_multi_button_forms_to_check():
    found = {str(path) for path, _buttons in multi_button_forms()}
    assert {"templates/quizzes/attempt.html", "templates/hours/pending.html"} <= found


def test_every_button_of_a_multi_button_form_names_the_same_field_with_a_value():
    problems = []
    for path, buttons in multi_button_forms():
        names = set()
        for button in buttons:
            name = NAME.search(button)
            if name is None or 'value="' not in button:
                problems.append(f"{path}: {button}")
            else:
                names.add(name[1])
        if len(names) > 1:
            problems.append(f"{path}: buttons name different fields {sorted(names)}")
    assert problems == []
