"""A small catalogue for the search tests: courses and steps whose words the query table names.

The index is updated when a write commits (search.signals); in a test's transaction that is when
``django_capture_on_commit_callbacks(execute=True)`` runs the queued refreshes."""

import pytest

from courses.models import LessonPage
from tests.factories import DepartmentFactory, UserFactory, build_course


def add_lesson(course, *, title: str, text: str, slug: str, command: str = "") -> LessonPage:
    body = [{"type": "rich_text", "value": f"<p>{text}</p>"}]
    if command:
        body.append({"type": "command", "value": {"kind": "shortcut", "text": command, "description": "锁屏"}})
    course.refresh_from_db()
    lesson = LessonPage(title=title, slug=slug, body=body)
    course.add_child(instance=lesson)
    lesson.save_revision().publish()
    course.refresh_from_db()
    return lesson


@pytest.fixture
def corpus(catalogue, django_capture_on_commit_callbacks):
    """Four open courses and one only for the finance bureau; returns the people and courses."""
    with django_capture_on_commit_callbacks(execute=True):
        return _build_corpus(catalogue)


def _build_corpus(catalogue):
    city = DepartmentFactory(code="city-search")
    finance = city.add_child(code="finance-search", name="财政局", name_en="Finance Bureau")
    police = city.add_child(code="police-search", name="公安局", name_en="Public Security")
    oa = build_course(
        catalogue, steps=0, slug="oa", title="办公自动化与网上公文审批", summary="在 OA 系统中起草、审核和签发电子公文。"
    )
    add_lesson(oa, title="起草公文", text="在 OA 中新建发文，选择模板。", slug="draft")
    security = build_course(
        catalogue, steps=0, slug="security", title="终端安全基础", summary="保护办公电脑和移动存储。", sequential=True
    )
    add_lesson(security, title="离开座位", text="离开座位时立即锁定屏幕。", slug="leave", command="Win+L")
    add_lesson(security, title="移动存储", text="不要使用来历不明的USB设备。", slug="usb")
    network = build_course(
        catalogue, steps=0, slug="network", title="网络安全意识", summary="识别钓鱼邮件，设置强口令。", sequential=False
    )
    add_lesson(network, title="数字证书", text="使用 CA 证书登录政务外网。", slug="ca")
    english = build_course(
        catalogue, steps=0, slug="english", title="Records management basics", summary="Filing and retention."
    )
    add_lesson(english, title="Retention", text="Keep records for the retention period.", slug="retention")
    secret = build_course(
        catalogue, steps=0, slug="budget", title="预算一体化系统操作", summary="财政预算编制与指标管理。"
    )
    secret.restricted_to_departments.set([finance])
    secret.save_revision().publish()
    add_lesson(secret, title="指标录入", text="录入预算指标并提交审批。", slug="quota")
    return {
        "outsider": UserFactory(username="search-police", department=police),
        "insider": UserFactory(username="search-finance", department=finance),
        "courses": {c.slug: c for c in (oa, security, network, english, secret)},
    }
