from django.test import override_settings
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import CourseIndexPage, CoursePage, LessonPage, QuizStepPage
from home.models import HomePage, InfoPage
from tests.factories import UserFactory, build_course, build_site, course_steps
from tests.factories.quizzes import make_question, make_quiz_of, single_choice


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

    def test_a_new_quiz_step_previews_before_it_is_first_saved(self):
        # The editor's preview panel renders a step that has no id yet: nothing to start (it was a 500).
        trainer = UserFactory(is_superuser=True, is_staff=True)
        self.client.force_login(trainer)
        quiz = make_quiz_of([make_question(single_choice("离开座位前应当做什么？"))], title="锁屏测验")
        url = reverse("wagtailadmin_pages:preview_on_add", args=["courses", "quizsteppage", self.course.pk])
        data = {"title": "结业测试", "slug": "exam", "kind": "final_exam", "quiz": quiz.pk, "intro": ""}
        self.assertTrue(self.client.post(url, data).json()["is_valid"])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "结业测试")
        self.assertNotContains(response, "/quiz/start/")

    def test_plain_pages_render_for_anonymous_visitors(self):
        self.assertPageIsRenderable(self.home)
        self.assertPageIsRenderable(self.about)
