"""Issue 17: a URL below the home page is routed by its url_path in one query (two for a page that
is not an information page or a lesson), and no page on the site pays Wagtail's two privacy
queries while no page has a privacy setting. A restriction saved is enforced on the next request."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from courses.models import QuizStepPage
from home.models import HomePage, InfoPage
from home.selectors import live_page_by_url_path
from tests.factories import UserFactory, build_course, course_steps
from tests.quizzes.conftest import make_quiz

pytestmark = pytest.mark.django_db


def get_counting(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return response, [query["sql"] for query in captured.captured_queries]


def test_no_page_type_below_the_home_page_changes_how_its_children_are_routed():
    # HomePage.route reads the page at a URL's path directly, which is only what Wagtail's
    # level-by-level routing finds while every page type below the home page routes as Page does.
    page_models = [model for model in apps.get_models() if issubclass(model, Page) and model is not HomePage]
    assert InfoPage in page_models and QuizStepPage in page_models
    for model in page_models:
        assert model.route is Page.route, model


def test_the_about_page_of_a_signed_in_person_costs_two_queries(client, site_tree):
    client.force_login(UserFactory())
    assert client.get("/about/").status_code == 200  # warms the session, site and privacy fact
    response, queries = get_counting(client, "/about/")
    assert response.status_code == 200 and "关于本平台" in response.content.decode()
    # The user and the page: no routing level by level, no privacy query, no unread-count query.
    assert len(queries) == 2, queries
    assert not any("pageviewrestriction" in sql for sql in queries)


def test_every_kind_of_page_is_routed_by_its_path(client, site_tree, catalogue):
    home, _catalogue = site_tree
    course = build_course(catalogue, steps=1, slug="routing", sequential=False)
    quiz_step = QuizStepPage(title="测验", slug="check", quiz=make_quiz())
    course.add_child(instance=quiz_step)
    about = InfoPage.objects.get(slug="about")
    team = InfoPage(title="团队", slug="team", body=[{"type": "rich_text", "value": "<p>我们的团队</p>"}])
    about.add_child(instance=team)
    client.force_login(UserFactory())
    for page in (catalogue, course, course_steps(course)[0], quiz_step, about, team):
        found = live_page_by_url_path(url_path=page.url_path)
        assert (type(found), found.pk) == (type(page.specific), page.pk)
        assert client.get(page.url).status_code == 200, page.url
    assert "我们的团队" in client.get("/about/team/").content.decode()
    _response, queries = get_counting(client, "/about/team/")
    assert len(queries) == 2, queries  # the user and the nested page, read whole


def test_a_page_that_is_not_live_or_not_there_is_not_found(client, site_tree):
    about = InfoPage.objects.get(slug="about")
    about.unpublish()
    assert live_page_by_url_path(url_path=about.url_path) is None
    assert client.get("/about/").status_code == 404
    assert client.get("/no-such-page/").status_code == 404
    assert client.get("/about/no-such-child/").status_code == 404


@pytest.mark.parametrize("path", ["/about/", "/courses/"])
def test_a_restriction_saved_is_enforced_on_the_next_request(client, site_tree, path):
    home, catalogue = site_tree
    client.force_login(UserFactory())
    assert client.get(path).status_code == 200  # caches "no privacy setting anywhere"
    page = InfoPage.objects.get(slug="about") if path == "/about/" else catalogue
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Auditors"))
    assert client.get(path).status_code != 200  # not in the group: refused at once
    restriction.delete()
    assert client.get(path).status_code == 200


def test_a_restriction_on_the_home_page_covers_the_pages_below(client, site_tree):
    home, _catalogue = site_tree
    client.get("/about/")
    PageViewRestriction.objects.create(page=home, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/about/")
    assert response.status_code == 302 and "/login/" in response["Location"]
