"""Only Wagtail's previews may be framed, and only by the same origin: the editor's preview panel
shows the page, while every other response keeps frame-ancestors 'none' and X-Frame-Options DENY."""

import pytest

from courses.authoring import course_authoring_setup
from tests.factories import UserFactory, course_steps

pytestmark = pytest.mark.django_db


def frame_ancestors(response) -> str:
    policy = response.headers.get("Content-Security-Policy", "")
    return next((part.strip() for part in policy.split(";") if part.strip().startswith("frame-ancestors")), "")


@pytest.fixture
def trainer(catalogue):
    trainers, _reviewers, _workflow = course_authoring_setup(catalogue=catalogue)
    user = UserFactory(is_staff=True, is_trainer=True)
    user.groups.add(trainers)
    return user


def test_a_learner_page_still_forbids_every_frame(client, course):
    client.force_login(UserFactory())
    step = course_steps(course)[0]
    for url in ["/", course.url, step.url]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert frame_ancestors(response) == "frame-ancestors 'none'", url
        assert response.headers["X-Frame-Options"] == "DENY", url


def test_admin_pages_still_forbid_every_frame(client, course, trainer):
    client.force_login(trainer)
    step = course_steps(course)[0]
    for url in ["/admin/", f"/admin/pages/{step.pk}/edit/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["X-Frame-Options"] == "DENY", url


def test_a_preview_may_be_framed_by_the_same_origin_only(client, course, trainer):
    client.force_login(trainer)
    step = course_steps(course)[0]
    step.title = "草稿中的新标题"
    revision = step.save_revision(user=trainer)
    response = client.get(f"/admin/pages/{step.pk}/revisions/{revision.pk}/view/")
    assert response.status_code == 200
    assert "草稿中的新标题" in response.content.decode()
    assert frame_ancestors(response) == "frame-ancestors 'self'"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    # The rest of the learner site's policy still applies to the previewed page.
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_the_live_page_is_not_frameable_after_a_preview(client, course, trainer):
    client.force_login(trainer)
    step = course_steps(course)[0]
    revision = step.save_revision(user=trainer)
    client.get(f"/admin/pages/{step.pk}/revisions/{revision.pk}/view/")
    assert frame_ancestors(client.get(step.url)) == "frame-ancestors 'none'"
