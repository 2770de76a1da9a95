from django.test import override_settings
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import CourseIndexPage, CoursePage, LessonPage, QuizStepPage
from home.models import HomePage, InfoPage
from tests.factories import UserFactory, build_course, build_site, course_steps


@override_settings(LANGUAGE_CODE="en")
class PageTreeRulesTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.catalogue = build_site()
        cls.course = build_course(cls.catalogue, steps=2)
        cls.about = InfoPage.objects.get(slug="about")

    def test_home_sits_at_the_root_and_holds_the_catalogue_and_information_pages(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {CourseIndexPage, InfoPage})

    def test_catalogue_only_under_home_and_only_holds_courses(self):
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})

    def test_course_only_in_a_catalogue_and_only_holds_steps(self):
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedSubpageTypes(CoursePage, {LessonPage, QuizStepPage})

    def test_lesson_only_in_a_course_and_holds_nothing(self):
        self.assertAllowedParentPageTypes(LessonPage, {CoursePage})
        self.assertAllowedSubpageTypes(LessonPage, set())

    def test_information_pages_nest_under_home_or_each_other(self):
        self.assertAllowedParentPageTypes(InfoPage, {HomePage, InfoPage})
        self.assertCanCreateAt(HomePage, InfoPage)
        self.assertCanNotCreateAt(CourseIndexPage, InfoPage)

    def test_lessons_cannot_be_created_outside_a_course(self):
        self.assertCanCreateAt(CoursePage, LessonPage)
        self.assertCanNotCreateAt(CourseIndexPage, LessonPage)
        self.assertCanNotCreateAt(HomePage, CoursePage)

    def test_every_page_type_renders_for_a_learner(self):
        learner = UserFactory()
        self.client.force_login(learner)
        for page in [self.home, self.catalogue, self.course, course_steps(self.course)[0], self.about]:
            with self.subTest(page=page.specific_class.__name__):
                self.assertPageIsRenderable(page.specific, user=learner)

    def test_every_page_type_renders_as_a_preview(self):
        trainer = UserFactory(is_superuser=True, is_staff=True)
        for page in [self.home, self.catalogue, self.course]:
            with self.subTest(page=page.specific_class.__name__):
                self.assertPageIsPreviewable(page.specific, user=trainer)
        # StreamField pages need their editor form data to preview.
        body = streamfield([("rich_text", rich_text("<p>预览内容</p>"))])
        lesson = course_steps(self.course)[0]
        self.assertPageIsPreviewable(
            lesson,
            user=trainer,
            post_data=nested_form_data(
                {"title": lesson.title, "slug": lesson.slug, "intro": "", "estimated_minutes": 5, "body": body}
            ),
        )
        self.assertPageIsPreviewable(
            self.about,
            user=trainer,
            post_data=nested_form_data({"title": self.about.title, "slug": self.about.slug, "body": body}),
        )

    def test_plain_pages_render_for_anonymous_visitors(self):
        self.assertPageIsRenderable(self.home)
        self.assertPageIsRenderable(self.about)
