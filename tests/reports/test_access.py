"""Scope: a head sees their department and the units under it, never a sibling's or a parent's,
whatever the URL, query string, form field, export or sort parameter; an admin sees all; a
learner sees none."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from courses.services import step_complete
from reports.models import ReportExport

pytestmark = pytest.mark.django_db

REPORTS = [choice for choice, _label in ReportExport.Report.choices]
FORMATS = ["csv", "xlsx"]


@pytest.fixture
def progress(city, events):
    """Everyone has started the first course, so every learner's name is in the exports."""
    course = city.courses[0]
    with events():
        for group in city.learners.values():
            for person in group:
                step_complete(user=person, step=city.steps[course.pk][0])
    return course


def as_user(client, user):
    client.force_login(user)
    return client


def text_of(response) -> str:
    if response.get("Content-Type", "").startswith("text/html"):
        return response.content.decode()
    return b"".join(response.streaming_content).decode("utf-8", "replace") if response.streaming else ""


def names(people) -> list[str]:
    return [person.display_name for person in people]


def export_url(report: str, file_format: str) -> str:
    return reverse("reports:export", args=[report, file_format])


# ---------------------------------------------------------------------------- department overview


def test_head_sees_their_department_and_its_sections_on_the_overview(client, city, progress):
    response = as_user(client, city.finance_head).get(reverse("reports:overview"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Budget Section" in html and "Treasury Section" in html
    assert "Public Security Bureau" not in html


@pytest.mark.parametrize("unit", ["treasury", "finance", "city", "police"])
def test_head_cannot_open_a_sibling_or_parent_overview_by_query_string(client, city, unit):
    response = as_user(client, city.budget_head).get(
        reverse("reports:overview"), {"department": getattr(city, unit).pk}
    )
    assert response.status_code == 404


def test_head_cannot_open_a_whole_city_overview(client, city):
    # An empty department means "the top of my scope", which for a head is their own unit.
    response = as_user(client, city.police_head).get(reverse("reports:overview"), {"department": ""})
    assert response.status_code == 200
    assert "Finance Bureau" not in response.content.decode()


def test_unit_choices_on_the_overview_hold_only_units_in_scope(client, city):
    html = as_user(client, city.finance_head).get(reverse("reports:overview")).content.decode()
    assert f'value="{city.budget.pk}"' in html and f'value="{city.police.pk}"' not in html
    assert f'value="{city.city.pk}"' not in html


def test_garbage_department_id_is_not_found(client, city):
    response = as_user(client, city.finance_head).get(reverse("reports:overview"), {"department": "1 OR 1=1"})
    assert response.status_code == 404


# ---------------------------------------------------------------------------- course drill-down


def test_head_sees_only_learners_of_their_scope_in_a_course(client, city, progress):
    html = as_user(client, city.budget_head).get(reverse("reports:course", args=[progress.pk])).content.decode()
    for name in names(city.learners["budget"]):
        assert name in html
    for name in names(city.learners["treasury"] + city.learners["finance"] + city.learners["police"]):
        assert name not in html


@pytest.mark.parametrize("unit", ["treasury", "finance", "police"])
def test_head_cannot_pick_a_sibling_or_parent_sub_unit_in_the_course_filter(client, city, progress, unit):
    url = reverse("reports:course", args=[progress.pk])
    response = as_user(client, city.budget_head).get(url, {"unit": getattr(city, unit).pk})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "sort", ["department", "-department", "name", "-percent", "password", "-department__path", "?"]
)
def test_no_sort_parameter_reveals_another_departments_learners(client, city, progress, sort):
    url = reverse("reports:course", args=[progress.pk])
    html = as_user(client, city.budget_head).get(url, {"sort": sort}).content.decode()
    assert all(name not in html for name in names(city.learners["police"] + city.learners["treasury"]))
    assert all(name in html for name in names(city.learners["budget"]))


def test_sub_unit_filter_lists_only_units_in_scope(client, city, progress):
    html = as_user(client, city.finance_head).get(reverse("reports:course", args=[progress.pk])).content.decode()
    assert f'value="{city.treasury.pk}"' in html
    assert f'value="{city.police.pk}"' not in html and f'value="{city.city.pk}"' not in html


# ---------------------------------------------------------------------------- learner drill-down


@pytest.mark.parametrize("group", ["treasury", "finance", "police"])
def test_head_cannot_open_a_learner_outside_their_scope(client, city, progress, group):
    person = city.learners[group][0]
    response = as_user(client, city.budget_head).get(reverse("reports:learner", args=[person.pk]))
    assert response.status_code == 404


def test_head_can_open_a_learner_of_a_section_under_them(client, city, progress):
    person = city.learners["budget"][0]
    response = as_user(client, city.finance_head).get(reverse("reports:learner", args=[person.pk]))
    assert response.status_code == 200
    assert person.display_name in response.content.decode()
    assert progress.title in response.content.decode()


# ---------------------------------------------------------------------------- exports


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("unit", ["treasury", "finance", "police"])
def test_head_cannot_export_a_sibling_or_parent_by_query_string(client, city, progress, file_format, unit):
    client = as_user(client, city.budget_head)
    department = getattr(city, unit).pk
    for report, params in [
        ("overview_courses", {"department": department}),
        ("overview_units", {"department": department}),
        ("course_learners", {"course": progress.pk, "unit": department}),
        ("learner", {"user": city.learners[unit][0].pk}),
    ]:
        assert client.get(export_url(report, file_format), params).status_code == 404, report


def test_head_cannot_queue_an_export_of_a_sibling_by_form_field(client, city, progress):
    client = as_user(client, city.budget_head)
    response = client.post(export_url("course_learners", "csv"), {"course": progress.pk, "unit": city.treasury.pk})
    assert response.status_code == 404
    assert not ReportExport.objects.exists()


@pytest.mark.parametrize("sort", ["department", "-name", "password"])
def test_course_export_holds_only_the_scope_whatever_the_sort(client, city, progress, sort):
    client = as_user(client, city.budget_head)
    response = client.get(export_url("course_learners", "csv"), {"course": progress.pk, "sort": sort})
    text = text_of(response)
    assert all(name in text for name in names(city.learners["budget"]))
    assert all(name not in text for name in names(city.learners["treasury"] + city.learners["police"]))


def test_overview_exports_hold_only_the_scope(client, city, progress):
    client = as_user(client, city.finance_head)
    units = text_of(client.get(export_url("overview_units", "csv")))
    assert "Budget Section" in units and "Treasury Section" in units
    assert "Public Security Bureau" not in units
    courses = text_of(client.get(export_url("overview_courses", "csv")))
    # Finance's subtree: 6 learners plus the two heads and a plain learner; 6 started course 1.
    assert ",9,6,0," in courses


# ---------------------------------------------------------------------------- admins and learners


def test_city_admin_sees_every_department_and_learner(client, city, progress):
    client = as_user(client, city.admin)
    html = client.get(reverse("reports:overview")).content.decode()
    assert "Finance Bureau" in html and "Public Security Bureau" in html
    html = client.get(reverse("reports:course", args=[progress.pk])).content.decode()
    assert all(name in html for group in city.learners.values() for name in names(group))
    assert client.get(reverse("reports:overview"), {"department": city.police.pk}).status_code == 200
    assert client.get(reverse("reports:learner", args=[city.learners["police"][0].pk])).status_code == 200
    text = text_of(client.get(export_url("course_learners", "csv"), {"course": progress.pk}))
    assert all(name in text for group in city.learners.values() for name in names(group))


def test_learner_sees_no_report_and_no_export(client, city, progress):
    client = as_user(client, city.plain_learner)
    urls = [
        reverse("reports:overview"),
        reverse("reports:course", args=[progress.pk]),
        reverse("reports:learner", args=[city.plain_learner.pk]),
        *[export_url(report, file_format) for report in REPORTS for file_format in FORMATS],
    ]
    for url in urls:
        assert client.get(url, {"course": progress.pk, "user": city.plain_learner.pk}).status_code == 403, url


def test_anonymous_visitor_is_sent_to_log_in(client, city):
    response = client.get(reverse("reports:overview"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_head_without_the_flag_any_more_loses_the_reports_on_the_next_request(client, city):
    client = as_user(client, city.finance_head)
    assert client.get(reverse("reports:overview")).status_code == 200
    city.finance_head.is_department_head = False
    city.finance_head.save()
    assert client.get(reverse("reports:overview")).status_code == 403


# ---------------------------------------------------------------------------- Wagtail admin report


def _with_admin_access(user):
    user.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    return user


def test_city_admin_gets_the_overview_as_a_wagtail_admin_report(client, city, progress):
    client = as_user(client, _with_admin_access(city.admin))
    response = client.get(reverse("reports_admin_overview"))
    assert response.status_code == 200
    assert "Public Security Bureau" in response.content.decode()
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("reports_admin_overview") in menu


def test_head_with_admin_access_cannot_open_the_admin_report(client, city):
    client = as_user(client, _with_admin_access(city.finance_head))
    response = client.get(reverse("reports_admin_overview"))
    # Wagtail turns a refusal inside the admin into a redirect to the dashboard with a message.
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert reverse("reports_admin_overview") not in client.get(reverse("wagtailadmin_home")).content.decode()
