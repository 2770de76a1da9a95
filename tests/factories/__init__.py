"""factory_boy factories for people, departments and course pages."""

import factory
from django.contrib.auth import get_user_model
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page, Site

from courses.models import CourseIndexPage, CoursePage, LessonPage
from departments.models import Department
from home.models import HomePage, InfoPage


class DepartmentFactory(factory.django.DjangoModelFactory):
    """Builds a node of the tree: pass parent=<Department> for a child, nothing for a root."""

    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"dept-{n}")
    name = factory.Sequence(lambda n: f"部门{n}")
    name_en = factory.Sequence(lambda n: f"Department {n}")
    kind = Department.Kind.DEPARTMENT

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is None:
            return model_class.add_root(**kwargs)
        parent.refresh_from_db()
        return parent.add_child(**kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"学员{n}")
    employee_id = factory.Sequence(lambda n: f"T{n:06d}")
    department = factory.SubFactory(DepartmentFactory)
    password = factory.django.Password("correct-horse-battery")


def test_image(title: str = "示意图") -> Image:
    image = Image.objects.filter(title=title).first()
    if image is None:
        image = Image.objects.create(title=title, file=get_test_image_file(filename="diagram.png"))
    return image


def lesson_body(text: str = "第一步：打开办公终端。", image: Image | None = None) -> list[dict]:
    image = image or test_image()
    return [
        {"type": "heading", "value": {"text": "要点", "level": "h2"}},
        {"type": "image", "value": {"image": image.pk, "alt_text": "示意图", "caption": "图 1"}},
        {
            "type": "instructions",
            "value": {
                "title": "锁屏",
                "steps": [
                    {"text": "<p>按下 Win+L。</p>", "screenshot": image.pk, "screenshot_alt": "锁屏界面"},
                    {"text": "<p>确认已锁定。</p>", "screenshot": None, "screenshot_alt": ""},
                ],
            },
        },
        {"type": "rich_text", "value": f"<p>{text}</p>"},
        {"type": "callout", "value": {"kind": "tip", "title": "提示", "body": "<p>离开座位请锁屏。</p>"}},
        {"type": "command", "value": {"kind": "shortcut", "text": "Win+L", "description": "锁屏"}},
    ]


def build_site() -> tuple[HomePage, CourseIndexPage]:
    """Home page as the default site's root, with a course catalogue under it."""
    root = Page.get_first_root_node()
    home = HomePage(title="首页", slug="home-test")
    root.add_child(instance=home)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "testserver", "root_page": home, "port": 80}
    )
    catalogue = CourseIndexPage(title="课程目录", slug="courses")
    home.add_child(instance=catalogue)
    about = InfoPage(title="关于", slug="about", body=[{"type": "rich_text", "value": "<p>关于本平台</p>"}])
    home.add_child(instance=about)
    return home, catalogue


def build_course(
    catalogue: CourseIndexPage, *, steps: int = 3, sequential: bool = True, title: str = "信息安全基础", **fields
) -> CoursePage:
    catalogue.refresh_from_db()
    course = CoursePage(
        title=title,
        slug=fields.pop("slug", None) or f"course-{CoursePage.objects.count() + 1}",
        summary=fields.pop("summary", "学习安全使用办公终端。"),
        objectives="认识风险\n养成习惯",
        sequential=sequential,
        **fields,
    )
    catalogue.add_child(instance=course)
    for number in range(1, steps + 1):
        course.refresh_from_db()
        course.add_child(
            instance=LessonPage(title=f"第{number}步", slug=f"step-{number}", body=lesson_body(f"第{number}步内容"))
        )
    course.refresh_from_db()
    return course


def course_steps(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).order_by("path"))
