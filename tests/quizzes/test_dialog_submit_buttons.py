"""A submit button that sits outside its form and names it with `form="…"` (the "Question N"
buttons of the attempt's "Submit all answers" dialog) sends the form's action once, like the
buttons inside it. static/js/site.js copies the pressed button's name and value into a hidden field
and disables the form's buttons against a second send; it once disabled only the buttons inside
the form, so the browser sent such a button's `action` as well as the copy, and the attempt view
refused the form ("“action” appears twice in the request.") with the learner's answer unsaved.

Run in Chromium on a bare page holding site.js (no server): what the browser posts is read from
the request itself."""

from pathlib import Path
from urllib.parse import parse_qs

import pytest

pytestmark = pytest.mark.browser

SITE_JS = Path(__file__).resolve().parents[2] / "static" / "js" / "site.js"
TARGET = "http://forms.test/submit"
PAGE = f"""<!doctype html><html lang="en"><body>
<form id="quiz-form" method="post" action="{TARGET}">
  <input name="q1" value="a">
  <button type="submit" name="action" value="save">Save</button>
</form>
<dialog open><button type="submit" form="quiz-form" name="action" value="goto:2">Question 2</button></dialog>
</body></html>"""


def posted_after_pressing(chromium, button_name: str) -> dict[str, list[str]]:
    page = chromium.new_page()
    bodies = []

    def record(route):
        bodies.append(route.request.post_data or "")
        route.fulfill(status=200, content_type="text/html", body="<p>ok</p>")

    page.route(TARGET, record)
    page.set_content(PAGE)
    page.add_script_tag(content=SITE_JS.read_text())
    with page.expect_navigation():
        page.get_by_role("button", name=button_name).click()
    page.close()
    assert len(bodies) == 1
    return parse_qs(bodies[0])


def test_a_button_outside_its_form_sends_its_action_once(chromium):
    assert posted_after_pressing(chromium, "Question 2") == {"q1": ["a"], "action": ["goto:2"]}


def test_a_button_inside_its_form_sends_its_action_once(chromium):
    assert posted_after_pressing(chromium, "Save") == {"q1": ["a"], "action": ["save"]}
