"""Issue 12, item 10, in Chromium: a learner of the finance bureau opens a lesson only for the
bureau and its images load (through the checked view, not /media/); a learner of another bureau
asking for the same image address gets a 404."""

import pytest
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from tests.factories import DepartmentFactory, UserFactory, build_course, course_steps, lesson_body

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"  # UserFactory's


def test_an_entitled_learner_sees_the_lessons_image_and_another_department_gets_a_404(
    visitor, visitor_factory, live_server_url, catalogue, file_roots
):
    city = DepartmentFactory(code="city-images")
    bureau = city.add_child(code="finance-images", name="财政局", name_en="Finance Bureau")
    police = city.add_child(code="police-images", name="公安局", name_en="Public Security")
    member = UserFactory(username="finance-viewer", department=bureau)
    stranger = UserFactory(username="police-viewer", department=police)
    course = build_course(catalogue, steps=1, sequential=False, slug="budget-images", title="财政预算系统")
    course.restricted_to_departments.set([bureau])
    course.save()
    step = course_steps(course)[0]
    image = Image.objects.create(title="预算表截图", file=get_test_image_file(filename="budget-sheet.png"))
    step.body = lesson_body(image=image)
    step.save_revision().publish()

    visitor.log_in(member.username, PASSWORD)
    visitor.goto(step.url)  # the visitor's checks fail on any 4xx for the page's images
    page = visitor.page
    page.wait_for_load_state("load")
    images = page.eval_on_selector_all(
        "main img", "imgs => imgs.map(img => ({src: img.getAttribute('src'), width: img.naturalWidth}))"
    )
    assert len(images) == 2
    assert all(found["src"].startswith("/learn/images/") and found["width"] > 0 for found in images), images

    other = visitor_factory(live_server_url)
    other.log_in(stranger.username, PASSWORD)
    for found in images:
        assert other.page.request.get(other.url(found["src"])).status == 404
