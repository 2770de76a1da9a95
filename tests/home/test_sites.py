"""The request's Site comes from the cache (home.sites): a page request makes no Site query once
the answer is cached, and every change to sites or pages routes at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from home.models import HomePage, InfoPage
from tests.factories import build_course

pytestmark = pytest.mark.django_db


def get_counting(client, path, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    return response, [query["sql"] for query in queries.captured_queries]


def test_a_page_request_finds_its_site_without_a_query_once_cached(client, site_tree):
    first, first_queries = get_counting(client, "/about/")
    again, queries = get_counting(client, "/about/")
    assert first.status_code == again.status_code == 200
    assert any("wagtailcore_site" in sql for sql in first_queries)
    assert not any("wagtailcore_site" in sql for sql in queries)
    # Once the site and the "no privacy setting anywhere" fact are cached: the page alone (issue 17).
    assert len(queries) == 1 and len(first_queries) > 1, queries
    # Routing below the home page does not fetch the home page's own fields.
    assert not any('"home_homepage"' in sql for sql in first_queries + queries)


def test_the_home_page_itself_is_served_fresh(client, site_tree):
    home, _catalogue = site_tree
    client.get("/")  # caches the site and its home page
    # No signal, so the cached copy keeps the old title and intro: the page served must not.
    HomePage.objects.filter(pk=home.pk).update(title="新的首页标题", intro="<p>新的欢迎词</p>")
    page = client.get("/").content.decode()
    assert "新的首页标题" in page and "新的欢迎词" in page


def test_a_published_change_and_a_renamed_page_route_at_once(client, site_tree):
    home, _catalogue = site_tree
    client.get("/about/")
    about = InfoPage.objects.get(slug="about")
    about.slug = "about-us"
    about.save_revision().publish()
    assert client.get("/about/").status_code == 404
    assert client.get("/about-us/").status_code == 200
    home.refresh_from_db()
    home.slug = "home-renamed"
    home.save_revision().publish()  # changes the url_path of every page below
    assert client.get("/about-us/").status_code == 200


def test_lessons_route_after_the_home_page_moves(client, site_tree, catalogue):
    course = build_course(catalogue, steps=1)
    lesson = course.get_children().first()
    lesson_path = lesson.url
    assert client.get(lesson_path).status_code in (200, 302)
    home, _catalogue = site_tree
    home.refresh_from_db()
    home.slug = "moved-home"
    home.save_revision().publish()
    assert client.get(lesson_path).status_code in (200, 302)


def test_an_edited_site_routes_at_once(client, site_tree, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    root = Page.get_first_root_node()
    other_home = root.add_child(instance=HomePage(title="另一门户", slug="other-home", intro="<p>另一站点</p>"))
    assert "另一站点" not in client.get("/", HTTP_HOST="other.example").content.decode()  # the default site answers
    other_site = Site.objects.create(hostname="other.example", port=80, root_page=other_home)
    assert "另一站点" in client.get("/", HTTP_HOST="other.example").content.decode()
    other_site.delete()
    assert "另一站点" not in client.get("/", HTTP_HOST="other.example").content.decode()
    assert client.get("/about/").status_code == 200
