"""The progress bar, the completed-course card and the course outline are built in Python (issue 17:
through the template engine they cost a lesson page more CPU than the rest of what it does beyond
the About page). They must give what the templates they replaced gave, escaping included: the old
templates are kept here, verbatim, as the reference, and compared in both languages with every
status, a current step, Chinese and hostile titles, and with and without a certificate."""

import re
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from config.components import progress_bar, study_beat
from courses.progress import StepStatus
from courses.selectors import OutlineEntry
from courses.templatetags.learning_tags import course_completed, course_outline, step_breadcrumb, step_outline

PROGRESS_BAR = """{% load i18n %}
<div class="progress-block">
  <label for="progress-{{ id|default:'course' }}">{% blocktranslate count total=total with done=done %}{{ done }} of {{ total }} step done{% plural %}{{ done }} of {{ total }} steps done{% endblocktranslate %}</label>
  <progress id="progress-{{ id|default:'course' }}" class="progress" max="100" value="{{ percent }}" data-percent="{{ percent }}">{{ percent }}%</progress>
  <span class="progress-figure">{{ percent }}%</span>
</div>
"""
COURSE_COMPLETED = """{% load i18n components %}
{% with facts=course_facts|lookup:course.pk %}
<p class="status status-done">{% translate "You have completed this course." %}</p>
{% if facts.certificate_url %}<p><a class="btn{% if primary %} btn-primary{% endif %} certificate-link" href="{{ facts.certificate_url }}">{% translate "Download your certificate (PDF)" %}</a></p>{% endif %}
{% endwith %}
"""
OUTLINE = """{% load i18n wagtailcore_tags language %}
<ol class="outline">
  {% for entry in learning.outline %}
    <li class="outline-step status-{{ entry.status }}{% if entry.is_current %} is-current{% endif %}">
      {% if entry.status == "locked" %}
        <span>{{ entry.title|in_own_language }}</span>
      {% else %}
        <a href="{{ entry.url }}"{% if entry.is_current %} aria-current="step"{% endif %}>{{ entry.title|in_own_language }}</a>
      {% endif %}
      <span class="step-status">{% if entry.status == "done" %}✓ {% translate "Done" %}{% elif entry.status == "locked" %}{% translate "Locked" context "course step" %}{% else %}{% translate "Not started" context "course progress" %}{% endif %}</span>
    </li>
  {% endfor %}
</ol>
"""
BREADCRUMB = """{% load i18n language %}<p class="breadcrumb"><a href="{{ learning.course_url }}">{{ learning.course.title|in_own_language }}</a>{% if learning.current %} · {% blocktranslate with position=learning.current.position total=learning.outline|length %}Step {{ position }} of {{ total }}{% endblocktranslate %}{% endif %}</p>"""
STUDY_BEAT = """{# A step's heartbeat (static/js/studytime.js): the server credits active time from it (studytime). #}
{% if study_beat %}<div hidden data-study-beat data-url="{% url 'studytime:beat' %}" data-token="{{ study_beat.token }}" data-step="{{ study_beat.step_id }}" data-interval="{{ study_beat.interval }}" data-idle="{{ study_beat.idle }}" data-csrf="{{ csrf_token }}"></div>{% endif %}
"""
STEP_OUTLINE = (
    """{% load i18n %}
<aside class="card lesson-outline" aria-labelledby="outline-heading">
  <div class="card-body">
    {% with percent=learning.percent done=learning.steps_done total=learning.steps_total %}"""
    + PROGRESS_BAR
    + """{% endwith %}
    {% if learning.completed %}{% with course=learning.course %}"""
    + COURSE_COMPLETED
    + """{% endwith %}{% endif %}
    <h2 id="outline-heading">{% translate "Course outline" %}</h2>
    """
    + OUTLINE
    + """
  </div>
</aside>"""
)


def same(html) -> str:
    """Markup as a browser reads it: a run of white space is one space."""
    return re.sub(r"\s+", " ", str(html)).strip()


def entry(position, status, *, title=None, current=False):
    return OutlineEntry(
        id=position,
        title=title or f"第{position}步",
        url=f"/courses/c/step-{position}/?a=1&b=2",
        position=position,
        status=status,
        is_current=current,
    )


LEARNERS = {
    "new": SimpleNamespace(
        outline=[entry(1, StepStatus.AVAILABLE, current=True), entry(2, StepStatus.LOCKED)],
        percent=0,
        steps_done=0,
        steps_total=2,
        completed=False,
    ),
    "halfway, hostile titles": SimpleNamespace(
        outline=[
            entry(1, StepStatus.DONE, title='<script>alert("x")</script> & 安全'),
            entry(2, StepStatus.AVAILABLE, title="Plain English", current=True),
            entry(3, StepStatus.LOCKED, title="<b>锁</b>"),
        ],
        percent=33,
        steps_done=1,
        steps_total=3,
        completed=False,
    ),
    "completed": SimpleNamespace(
        outline=[entry(1, StepStatus.DONE), entry(2, StepStatus.DONE, current=True)],
        percent=100,
        steps_done=2,
        steps_total=2,
        completed=True,
    ),
    "empty course": SimpleNamespace(outline=[], percent=0, steps_done=0, steps_total=0, completed=False),
}
COURSE = SimpleNamespace(pk=7)
FACTS = {
    "certificate": {7: {"certificate_url": '/certificates/3/download/?x="1"&y=2'}},
    "no certificate": {7: {}},
    "no facts": None,
}


@pytest.fixture(params=["en", "zh-hans"])
def language(request):
    with translation.override(request.param):
        yield request.param


@pytest.mark.parametrize("learner", LEARNERS)
def test_the_outline_is_what_its_template_gave(language, learner):
    learning = LEARNERS[learner]
    expected = Template(OUTLINE).render(Context({"learning": learning}))
    assert same(course_outline(learning)) == same(expected)


@pytest.mark.parametrize("learner", LEARNERS)
@pytest.mark.parametrize("facts", FACTS)
def test_the_step_outline_is_what_its_templates_gave(language, learner, facts):
    learning = SimpleNamespace(**vars(LEARNERS[learner]), course=COURSE)
    context = {"learning": learning, "course_facts": FACTS[facts]}
    expected = Template(STEP_OUTLINE).render(Context(context))
    assert same(step_outline(Context(context), learning)) == same(expected)


@pytest.mark.parametrize("facts", FACTS)
@pytest.mark.parametrize("primary", [False, True])
def test_the_completed_course_card_is_what_its_template_gave(language, facts, primary):
    context = {"course": COURSE, "course_facts": FACTS[facts], "primary": primary}
    expected = Template(COURSE_COMPLETED).render(Context(context))
    assert same(course_completed(COURSE, FACTS[facts], primary=primary)) == same(expected)


@pytest.mark.parametrize(
    ("done", "total", "percent", "bar_id"), [(0, 0, 0, None), (1, 1, 100, "resume"), (2, 7, 28, 15)]
)
def test_the_progress_bar_is_what_its_template_gave(language, done, total, percent, bar_id):
    context = {"done": done, "total": total, "percent": percent, "id": bar_id}
    expected = Template(PROGRESS_BAR).render(Context(context))
    assert same(progress_bar(done=done, total=total, percent=percent, id=bar_id)) == same(expected)


@pytest.mark.parametrize("learner", LEARNERS)
@pytest.mark.parametrize("course_title", ["电子政务基础", 'Basics <i>"&"</i>'])
def test_the_breadcrumb_is_what_its_template_gave(language, learner, course_title):
    learning = SimpleNamespace(
        **vars(LEARNERS[learner]),
        course=SimpleNamespace(pk=7, title=course_title),
        course_url="/courses/c/?a=1&b=2",
        current=next((entry for entry in LEARNERS[learner].outline if entry.is_current), None),
    )
    expected = Template(BREADCRUMB).render(Context({"learning": learning}))
    assert same(step_breadcrumb(learning)) == same(expected)


@pytest.mark.parametrize(
    "beat", [None, {"token": 'a.b:c"<&>', "step_id": 12345, "interval": 30, "idle": 120}], ids=["none", "beat"]
)
def test_the_study_beat_is_what_its_template_gave(language, beat):
    context = {"study_beat": beat, "csrf_token": "tok<en>"}
    expected = Template(STUDY_BEAT).render(Context(context))
    assert same(study_beat(Context(context))) == same(expected)


def test_titles_and_addresses_are_escaped_and_chinese_marked_on_an_english_page():
    with translation.override("en"):
        html = str(course_outline(LEARNERS["halfway, hostile titles"]))
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>" not in html
    assert '<span lang="zh-Hans">&lt;b&gt;锁&lt;/b&gt;</span>' in html
    assert 'href="/courses/c/step-2/?a=1&amp;b=2" aria-current="step"' in html
    assert "step-3" not in html  # a locked step is named, not linked
