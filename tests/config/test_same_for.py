"""{% same_for %} (config/components.py): a fragment that is the same for every reader is rendered
once per language and set of values, and rendered again when one of them changes."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation

from config import components


@pytest.fixture(autouse=True)
def _empty_fragments():
    components._fragments.clear()
    yield
    components._fragments.clear()


def render(source: str, **context) -> str:
    return Template("{% load components i18n %}" + source).render(Context(context))


FRAGMENT = '{% same_for "labels" version %}<b>{{ label }}</b> {% translate "Apply" %}{% end_same_for %}'


def test_the_fragment_is_served_as_first_rendered_while_its_values_stay_the_same():
    assert render(FRAGMENT, version=1, label="first") == "<b>first</b> Apply"
    # Not a value of the key: the cached fragment is served (what makes it cheap, and why only
    # what is the same for every reader may go inside).
    assert render(FRAGMENT, version=1, label="second") == "<b>first</b> Apply"


def test_a_changed_value_renders_the_fragment_again():
    assert render(FRAGMENT, version=1, label="first") == "<b>first</b> Apply"
    assert render(FRAGMENT, version=2, label="second") == "<b>second</b> Apply"
    assert render(FRAGMENT, version=1, label="third") == "<b>first</b> Apply"


def test_each_language_has_its_own_fragment():
    with translation.override("en"):
        assert render(FRAGMENT, version=1, label="x") == "<b>x</b> Apply"
    with translation.override("zh-hans"):
        assert render(FRAGMENT, version=1, label="x") == "<b>x</b> 筛选"


def test_lazy_labels_key_the_fragment_by_their_text_in_the_active_language():
    from courses.models import Topic

    source = '{% same_for "topics" topics %}{% for value, label in topics %}{{ label }};{% endfor %}{% end_same_for %}'
    with translation.override("en"):
        assert render(source, topics=Topic.choices).startswith("E-government basics;")
    with translation.override("zh-hans"):
        assert not render(source, topics=Topic.choices).startswith("E-government basics;")


def test_two_fragments_with_the_same_name_and_values_do_not_share():
    assert render('{% same_for "a" 1 %}one{% end_same_for %}') == "one"
    assert render('{% same_for "a" 1 %}two{% end_same_for %}') == "two"


def test_escaping_is_kept():
    assert render('{% same_for "x" v %}{{ v }}{% end_same_for %}', v="<i>") == "&lt;i&gt;"


def test_a_person_or_a_model_instance_cannot_key_a_fragment():
    class Person:
        pass

    with pytest.raises(TemplateSyntaxError):
        render('{% same_for "x" who %}hello{% end_same_for %}', who=Person())


def test_the_fragments_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(components, "SAME_FOR_MAX_FRAGMENTS", 3)
    for number in range(10):
        render('{% same_for "x" n %}{{ n }}{% end_same_for %}', n=number)
    assert len(components._fragments) == 3


def test_an_amount_keys_a_fragment_by_its_value():
    from decimal import Decimal

    source = '{% same_for "hours" amount %}{{ amount|floatformat:"-2" }}{% end_same_for %}'
    assert render(source, amount=Decimal("1.5")) == "1.50"
    assert render(source, amount=Decimal("2")) == "2"
    assert render(source, amount=Decimal("1.50")) == "1.50"  # the same amount written otherwise
