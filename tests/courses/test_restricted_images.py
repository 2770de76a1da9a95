"""Issue 12, item 10, for images: every rendition's address is the checked view
(courses.views.cms_image_view), never /media/, so an image used only in steps of a
department-restricted course goes only to people who may open one of those steps; everyone else
gets a 404. The view finds only renditions already made: no one can have new sizes made."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from wagtail.images.models import Image, Rendition
from wagtail.images.tests.utils import get_test_image_file

from courses.models import LessonPage
from tests.factories import UserFactory, build_course, course_steps, lesson_body

CHECKED_PREFIX = "/learn/images/"


@pytest.fixture(autouse=True)
def _media(file_roots):
    """Each test's images in its own MEDIA_ROOT."""


def make_image(name: str = "budget-chart.png") -> Image:
    return Image.objects.create(title=name, file=get_test_image_file(filename=name))


def show_in_step(step: LessonPage, image: Image) -> None:
    step.body = lesson_body(image=image)
    step.save_revision().publish()


def image_addresses(html: str) -> list[str]:
    return re.findall(r'<img[^>]+src="([^"]+)"', html)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def check_a_restricted_steps_image_reaches_only_its_people(client, restricted_step, people):
    image = make_image()
    show_in_step(restricted_step, image)
    address = image.get_rendition("width-960").url  # what the step's template writes
    assert address.startswith(CHECKED_PREFIX)

    assert client.get(address).status_code == 404
    client.force_login(people["other"])
    assert client.get(address).status_code == 404

    client.force_login(people["member"])
    response = client.get(address)
    assert response.status_code == 200
    assert body(response).startswith(b"\x89PNG")
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_a_restricted_steps_image_is_refused_to_anonymous_and_other_departments(
    db, client, restricted_step, finance_people
):
    check_a_restricted_steps_image_reaches_only_its_people(client, restricted_step, finance_people)


def test_a_restricted_steps_image_on_postgresql(require_postgres, client, restricted_step, finance_people):
    check_a_restricted_steps_image_reaches_only_its_people(client, restricted_step, finance_people)


@pytest.mark.django_db
def test_every_image_on_a_lesson_goes_through_the_checked_view(client, restricted_step, finance_people):
    image = make_image()
    show_in_step(restricted_step, image)
    course = restricted_step.get_parent().specific
    course.sequential = False  # open the second step directly
    course.save()
    client.force_login(finance_people["member"])
    html = client.get(restricted_step.url).content.decode()
    addresses = image_addresses(html)
    assert len(addresses) == 2  # the captioned image and the instruction's screenshot
    assert all(address.startswith(CHECKED_PREFIX) for address in addresses)
    assert "/media/" not in html
    for address in addresses:
        assert client.get(address).status_code == 200
    client.force_login(finance_people["other"])
    for address in addresses:
        assert client.get(address).status_code == 404


@pytest.mark.django_db
def test_a_lesson_whose_image_file_is_missing_still_opens_with_a_broken_image(client, restricted_step, finance_people):
    image = make_image()
    show_in_step(restricted_step, image)
    course = restricted_step.get_parent().specific
    course.sequential = False
    course.save()
    image.file.storage.delete(image.file.name)  # the original lost (a partial restore)
    client.force_login(finance_people["member"])
    response = client.get(restricted_step.url)
    assert response.status_code == 200
    addresses = image_addresses(response.content.decode())
    assert addresses and all(address == CHECKED_PREFIX + "not-found" for address in addresses)
    assert client.get(addresses[0]).status_code == 404


@pytest.mark.django_db
def test_an_image_on_a_public_page_goes_to_anonymous_visitors_and_may_be_cached(client, site_tree):
    image = make_image("city-map.png")
    about = site_tree[0].get_children().get(slug="about").specific
    about.body = [
        {"type": "rich_text", "value": f'<p>地图</p><embed embedtype="image" id="{image.pk}" format="fullwidth" alt="地图"/>'}
    ]
    about.save_revision().publish()
    html = client.get(about.url).content.decode()
    [address] = image_addresses(html)
    assert address.startswith(CHECKED_PREFIX)
    response = client.get(address)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


@pytest.mark.django_db
def test_a_restricted_courses_cover_goes_to_every_signed_in_person_as_the_catalogue_shows_it(
    client, catalogue, restricted_step, finance_people
):
    image = make_image("cover.png")
    course = restricted_step.get_parent().specific
    course.cover_image = image
    course.save_revision().publish()
    client.force_login(finance_people["other"])
    html = client.get(catalogue.url).content.decode()
    [address] = image_addresses(html)
    assert address.startswith(CHECKED_PREFIX)
    assert client.get(address).status_code == 200
    client.logout()
    assert client.get(address).status_code == 404
    course.unpublish()
    client.force_login(finance_people["other"])
    assert client.get(address).status_code == 404


@pytest.mark.django_db
def test_a_forged_or_unknown_address_is_a_404_and_makes_no_rendition(client, restricted_step, finance_people):
    image = make_image()
    show_in_step(restricted_step, image)
    address = image.get_rendition("width-960").url
    client.force_login(finance_people["member"])
    renditions = Rendition.objects.count()
    forged = [
        address.replace("width-960", "width-2000"),  # another size of an image they may see
        CHECKED_PREFIX + image.file.name,  # the original, by its stored name
        CHECKED_PREFIX + "../" + image.file.name,
        CHECKED_PREFIX + "nothing.png",
    ]
    for candidate in forged:
        assert client.get(candidate).status_code == 404, candidate
    assert Rendition.objects.count() == renditions
    # Wagtail's own view, which makes any size asked for with a signature, is not mounted.
    with pytest.raises(NoReverseMatch):
        reverse("wagtailimages_serve", args=("sig", image.pk, "width-2000"))
    assert client.post(address).status_code == 405


@pytest.mark.django_db
def test_editors_see_a_restricted_image_and_its_admin_thumbnail(client, restricted_step, finance_people):
    image = make_image()
    show_in_step(restricted_step, image)
    client.force_login(UserFactory(username="editor", is_superuser=True, department=None))
    html = client.get(reverse("wagtailimages:edit", args=[image.pk])).content.decode()
    addresses = [address for address in image_addresses(html) if address.startswith(CHECKED_PREFIX)]
    assert addresses and "/media/images/" not in html
    for address in addresses:
        assert client.get(address).status_code == 200
    client.force_login(finance_people["other"])
    for address in addresses:
        assert client.get(address).status_code == 404


@pytest.mark.django_db
def test_the_image_view_costs_the_same_for_one_page_or_many(client, catalogue, finance, finance_people):
    client.force_login(finance_people["other"])
    client.get("/")  # the session and the content types are loaded once, not counted below
    counts = []
    for pages in (1, 6):
        image = make_image(f"chart-{pages}.png")
        for number in range(pages):
            course = build_course(catalogue, steps=1, slug=f"img-{pages}-{number}")
            course.restricted_to_departments.set([finance[1]])
            course.save()
            show_in_step(course_steps(course)[0], image)
        address = image.get_rendition("width-960").url
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 404
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 14  # session, user, rendition, the page check (7), the editor's permissions


@pytest.mark.django_db
def test_an_image_no_page_uses_is_sent_as_before(client):
    image = make_image("unused.png")
    assert client.get(image.get_rendition("width-960").url).status_code == 200


@pytest.mark.django_db
def test_nginx_sends_the_file_after_the_check_when_told_where(client, settings, restricted_step, finance_people):
    settings.MEDIA_FILES_X_ACCEL_REDIRECT = "/_media/"
    image = make_image()
    show_in_step(restricted_step, image)
    rendition = image.get_rendition("width-960")
    assert client.get(rendition.url).status_code == 404  # no header for who may not have it
    client.force_login(finance_people["member"])
    response = client.get(rendition.url)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == "/_media/" + rendition.file.name
    assert response["Content-Type"] == "image/png"
