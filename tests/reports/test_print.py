"""A printed report says what it is, of which unit, when it was printed and with which filters, and
leaves out the navigation and the forms: the print header is in the page (hidden on screen), and
everything for the screen sits inside an element the print stylesheet hides."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import formats, timezone

from reports.forms import CourseFilterForm

pytestmark = pytest.mark.django_db

SITE_CSS = Path(settings.BASE_DIR) / "static" / "css" / "site.css"


def print_rules() -> str:
    css = SITE_CSS.read_text(encoding="utf-8")
    start = css.index("@media print")
    return css[start:]


def hides(rules: str, selector: str) -> bool:
    """Whether a rule whose selector list names `selector` sets display: none."""
    rules = re.sub(r"/\*.*?\*/", "", rules, flags=re.S)
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", rules):
        names = [name.strip() for name in selectors.split(",")]
        if selector in names and re.search(r"display:\s*none", body):
            return True
    return False


def unit_names(department) -> set[str]:
    return {department.name, department.name_en}


def printed_parts(html: str):
    soup = BeautifulSoup(html, "html.parser")
    header = soup.select_one("[data-print-header]")
    assert header is not None, "no print header"
    return soup, header


def assert_screen_parts_hidden_in_print(soup):
    rules = print_rules()
    assert hides(rules, ".no-print")
    for element in soup.select("body nav, body form"):
        assert element.find_parent(class_="no-print") or "no-print" in element.get("class", []), element.name
    # The print header itself is for paper only.
    css = SITE_CSS.read_text(encoding="utf-8")
    assert hides(css[: css.index("@media print")], ".print-only")


def test_the_overview_prints_its_title_unit_date_and_the_chosen_course(client, city):
    course = city.courses[0]
    client.force_login(city.finance_head)
    response = client.get(reverse("reports:overview"), {"department": city.budget.pk, "course": course.pk})
    soup, header = printed_parts(response.content.decode())
    assert "print-only" in header["class"]
    assert header.select_one(".print-title").get_text(strip=True) == soup.h1.get_text(strip=True).split(":")[0]
    assert header.select_one("[data-print-scope]").get_text(strip=True) in unit_names(city.budget)
    assert (
        header.select_one("[data-print-date]")
        .get_text(strip=True)
        .startswith(formats.date_format(timezone.localdate()))
    )
    assert course.title in header.select_one("[data-print-filters]").get_text()
    assert_screen_parts_hidden_in_print(soup)


def test_the_course_report_prints_the_active_filters_but_not_the_scope_twice(client, city):
    course = city.courses[0]
    client.force_login(city.finance_head)
    response = client.get(
        reverse("reports:course", args=[course.pk]),
        {"unit": city.treasury.pk, "status": "completed", "date_from": "2026-01-01"},
    )
    soup, header = printed_parts(response.content.decode())
    assert course.title in header.select_one(".print-title").get_text()
    assert header.select_one("[data-print-scope]").get_text(strip=True) in unit_names(city.treasury)
    filters = header.select_one("[data-print-filters]").get_text()
    assert "2026-01-01" in filters
    assert str(CourseFilterForm.base_fields["status"].label) in filters
    assert str(CourseFilterForm.base_fields["unit"].label) not in filters
    assert_screen_parts_hidden_in_print(soup)


def test_the_compliance_report_prints_the_year_and_the_below_target_filter(client, city):
    client.force_login(city.finance_head)
    response = client.get(reverse("hours:compliance"), {"year": "2026", "below": "1"})
    soup, header = printed_parts(response.content.decode())
    assert header.select_one("[data-print-scope]").get_text(strip=True) in unit_names(city.finance)
    filters = header.select_one("[data-print-filters]").get_text()
    assert "2026" in filters and filters.count(":") == 2
    assert_screen_parts_hidden_in_print(soup)


def test_the_learner_report_prints_the_person_and_their_unit_without_filters(client, city):
    person = city.learners["budget"][0]
    client.force_login(city.finance_head)
    response = client.get(reverse("reports:learner", args=[person.pk]))
    soup, header = printed_parts(response.content.decode())
    assert str(person) in header.select_one(".print-title").get_text()
    assert header.select_one("[data-print-scope]").get_text(strip=True) == str(person.department)
    assert_screen_parts_hidden_in_print(soup)


def test_active_filters_show_choice_labels_without_the_tree_indent_and_skip_empty_fields():
    form = CourseFilterForm(
        {"unit": "7", "status": "", "date_to": "2026-03-01"}, unit_choices=[(7, "\u00a0\u00a0预算科")]
    )
    rendered = Template(
        "{% load components %}{% active_filters form as shown %}{% for label, value in shown %}[{{ label }}={{ value }}]{% endfor %}"
    ).render(Context({"form": form}))
    assert rendered == f"[{form['unit'].label}=预算科][{form['date_to'].label}=2026-03-01]"
