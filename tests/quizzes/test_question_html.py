"""Question HTML (issue 14, items 1 and 3): one sanitiser on every write path, Moodle's embedded
images as Wagtail images, a dry run that lists every change, a confirmation that never fails."""

import base64
import json
import random
from html.parser import HTMLParser
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from quizzes.formats.excel import HEADERS
from quizzes.models import Question, QuestionCategory, QuestionChoice
from quizzes.question_html import html_to_plain, removed_markup, sanitise_html
from quizzes.services import QUESTION_MEDIA_COLLECTION, question_create
from quizzes.specs import ChoiceSpec, QuestionSpec, QuestionType
from tests.factories import UserFactory
from tests.factories.quizzes import QuestionCategoryFactory, question_form_data

PAYLOADS = [
    '<script>alert("x")</script>',
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(2)">click</a>',
    '<p onclick="alert(3)">p</p>',
    '<a href="JaVaScRiPt:alert(4)">x</a>',
    '<embed embedtype="media" url="https://evil.example/">',
    '<iframe src="https://evil.example/"></iframe>',
    '<svg onload="alert(5)"></svg>',
    '<a href="@@PLUGINFILE@@/a.mp3">relative</a>',
]


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_harmless(html: str) -> None:
    """Checked on the parsed markup: typed text such as "&lt;script&gt;" is harmless."""
    parser = _Markup()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag not in ("script", "iframe", "svg", "img", "object", "style"), html
        assert not any(name.startswith("on") for name in attrs), html
        assert not attrs.get("href", "https:").lower().startswith(("javascript", "@@")), html
        assert attrs.get("embedtype", "image") == "image", html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_sanitiser_removes_scripts_event_handlers_and_javascript_urls(payload):
    cleaned = sanitise_html(f"<p>题干{payload}</p>")
    assert_harmless(cleaned)
    assert "题干" in cleaned
    assert sanitise_html(cleaned) == cleaned  # idempotent: stored text never changes on a re-save


def test_the_sanitiser_keeps_what_the_editor_holds():
    html = (
        '<p><b>粗</b><i>斜</i><sup>2</sup><sub>i</sub><code>ls</code><a href="https://www.gov.cn">链接</a>'
        '<a linktype="page" id="3">页面</a></p><ul><li>一</li></ul>'
        '<embed embedtype="image" id="7" format="fullwidth" alt="图"/>'
    )
    assert sanitise_html(html) == html


def test_removed_markup_names_what_was_unsafe_but_not_harmless_wrappers():
    raw = '<p style="x"><span>a</span><script>b</script><a href="javascript:c" onmouseover="d">e</a></p>'
    assert removed_markup(raw, sanitise_html(raw)) == ["<script>", "href=javascript:", "onmouseover"]


# ---------------------------------------------------------------------------- write paths


@pytest.fixture
def trainer(db):
    return UserFactory(username="html-trainer", is_superuser=True, is_staff=True)


@pytest.fixture
def trainer_client(client, trainer, file_roots):
    client.force_login(trainer)
    return client


def contentstate(text: str, url: str) -> str:
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a1",
                    "type": "unstyled",
                    "depth": 0,
                    "text": text,
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 0, "length": 4, "key": 0}],
                }
            ],
            "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": url}}},
        }
    )


def test_the_admin_form_stores_sanitised_html(trainer_client):
    choices = [
        {
            "text": contentstate(f"选项{index} <b onclick=x>", url),
            "feedback": contentstate("说明 <svg onload=x>", "javascript:alert(4)"),
            "correct": "on" if index == 0 else "",
        }
        for index, url in enumerate(["javascript:alert(3)", "https://www.gov.cn/"])
    ]
    data = question_form_data(
        QuestionCategoryFactory(),
        "single",
        name="XSS",
        stem=contentstate('点这里 <script>alert(1)</script><img src=x onerror="alert(1)">', "javascript:alert(1)"),
        general_feedback=contentstate("反馈 <script>x</script>", "javascript:alert(2)"),
        choices=choices,
    )
    add_url = reverse(Question.snippet_viewset.get_url_name("add"))
    form = trainer_client.get(add_url).content.decode()
    assert form.count('data-controller="w-draftail"') >= 2 or form.count("draftail") >= 2  # the rich text editor
    response = trainer_client.post(add_url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    question = Question.objects.get(name="XSS")
    texts = [question.stem, question.general_feedback]
    texts += [text for choice in question.choices.all() for text in (choice.text, choice.feedback)]
    for text in texts:
        assert_harmless(text)
    assert "&lt;script&gt;" in question.stem  # typed text stays text
    assert '<a href="https://www.gov.cn/">' in question.choices.get(sort_order=1).text
    assert question.current_version.spec["stem"] == question.stem
    # Editing it again shows the stored HTML in the editor and a re-save changes nothing.
    edit = trainer_client.get(reverse(Question.snippet_viewset.get_url_name("edit"), args=[question.pk]))
    assert edit.status_code == 200 and "\\u70b9\\u8fd9\\u91cc" in edit.content.decode()  # 点这里, in the editor's JSON


def test_a_service_save_bulk_create_and_update_all_store_sanitised_html(db):
    question = question_create(
        spec=QuestionSpec(
            qtype=QuestionType.SINGLE,
            stem='<p onclick="x">题<script>1</script></p>',
            general_feedback='<a href="javascript:alert(1)">x</a>',
            choices=(ChoiceSpec("a", '<img src=x onerror="y">对', True, "<svg onload=z>"), ChoiceSpec("b", "错")),
        ),
        category=QuestionCategoryFactory(),
    )
    question.refresh_from_db()
    assert question.stem == "<p>题</p>" and question.general_feedback == "<a>x</a>"
    assert [choice.text for choice in question.choices.all()] == ["对", "错"]
    assert question.current_version.spec["choices"][0]["feedback"] == ""
    Question.objects.filter(pk=question.pk).update(stem="<b onmouseover=1>改</b>")
    QuestionChoice.objects.filter(question=question).update(text='<a href="javascript:1">x</a>')
    question.refresh_from_db()
    assert question.stem == "<b>改</b>" and {c.text for c in question.choices.all()} == {"<a>x</a>"}


def upload(client, content: bytes, name: str, **fields):
    data = {"file": SimpleUploadedFile(name, content), "use_file_categories": "on", **fields}
    return client.post(reverse("quizzes_admin:import"), data)


def confirm(client, response):
    form = response.context["confirm_form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data["use_file_categories"] = "True" if form.initial.get("use_file_categories") else ""
    return client.post(reverse("quizzes_admin:import_confirm"), data)


def xlsx(rows) -> bytes:
    workbook = Workbook()
    workbook.active.append(list(HEADERS))
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XSS_GIFT = (
    "$CATEGORY: 安全\n\n"
    '::G1::[html]<p>GIFT <script>alert(1)</script><img src=x onerror="alert(2)"></p>{\n'
    # Inside the braces GIFT needs its special characters escaped, in HTML too.
    '=[html]<a href\\="javascript\\:alert(3)">对</a>#<b onclick\\="x">好</b>\n~错\n'
    '####[html]<p onmouseover\\="x">总评</p>\n}\n'
)
XSS_MOODLE = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<question type="category"><category><text>$course$/top/安全</text></category></question>
<question type="multichoice"><name><text>M1</text></name>
<questiontext format="html"><text><![CDATA[<p>XML <script>alert(1)</script><img src="x" onerror="alert(2)"></p>]]></text></questiontext>
<generalfeedback format="html"><text><![CDATA[<a href="javascript:alert(3)">总评</a>]]></text></generalfeedback>
<answer fraction="100" format="html"><text><![CDATA[<p onclick="x">对</p>]]></text>
<feedback format="html"><text><![CDATA[<svg onload="x">好</svg>]]></text></feedback></answer>
<answer fraction="0" format="html"><text>错</text></answer>
</question>
</quiz>""".encode()
XSS_EXCEL = [
    [
        "单选题",
        '<p>Excel <script>alert(1)</script><img src=x onerror="alert(2)"></p>',
        '<a href="javascript:x">对</a>',
        "错",
    ]
    + ["", "", "", "", "A", 1, '<p onclick="x">解析</p>', "安全"]
]


@pytest.mark.parametrize(
    ("name", "content"),
    [("xss.gift", XSS_GIFT.encode()), ("xss.xml", XSS_MOODLE), ("xss.xlsx", xlsx(XSS_EXCEL))],
)
def test_every_import_format_stores_sanitised_html_and_the_dry_run_says_what_was_removed(trainer_client, name, content):
    preview = upload(trainer_client, content, name)
    messages = " ".join(problem["message"] for problem in preview.context["file_problems"])
    assert "HTML this bank does not keep was removed" in messages and "<script>" in messages
    assert "onerror" in messages or "<img>" in messages

    assert confirm(trainer_client, preview).status_code == 302
    question = Question.objects.get()
    for text in [question.stem, question.general_feedback, *(c.text for c in question.choices.all())]:
        assert_harmless(text)
    assert html_to_plain(question.stem).endswith(("GIFT", "XML", "Excel"))


# ---------------------------------------------------------------------------- Moodle's images


def png(colour: str = "red") -> bytes:
    buffer = BytesIO()
    PILImage.new("RGB", (6, 4), colour).save(buffer, "PNG")
    return buffer.getvalue()


def moodle_bank(*, image: bytes | None = None) -> bytes:
    image64 = base64.b64encode(image or png()).decode()
    old64 = base64.b64encode(png("blue")).decode()
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<question type="category"><category><text>$course$/top/图片题</text></category></question>
<question type="multichoice">
 <name><text>城市徽标</text></name>
 <questiontext format="html"><text><![CDATA[<p dir="ltr">Moodle <img src="@@PLUGINFILE@@/logo%20one.png" alt="城市徽标图案" width="6">&nbsp;是哪个城市的？</p>]]></text>
  <file name="logo one.png" path="/" encoding="base64">{image64}</file>
  <file name="clip.mp3" path="/" encoding="base64">SUQzBAAAAAAA</file></questiontext>
 <generalfeedback format="html"><text><![CDATA[<p>听 <a href="@@PLUGINFILE@@/clip.mp3">录音</a></p>]]></text></generalfeedback>
 <defaultgrade>1.0000000</defaultgrade>
 <idnumber>Q-001</idnumber>
 <single>true</single>
 <answer fraction="100" format="html"><text><![CDATA[<p><b>本市</b></p>]]></text>
  <feedback format="html"><text><![CDATA[<p>对</p>]]></text></feedback></answer>
 <answer fraction="0" format="html"><text><![CDATA[<p>外市 <img src="@@PLUGINFILE@@/missing.png" alt="">{"长" * 700}</p>]]></text></answer>
 <hint format="html"><text>看颜色</text></hint>
 <correctfeedback format="html"><text>Well done</text></correctfeedback>
 <tags><tag><text>{"标" * 150}</text></tag><tag><text>图片</text></tag></tags>
</question>
<question type="truefalse">
 <name><text>{"名" * 250}</text></name>
 <questiontext format="moodle_auto_format"><text>Moodle 1.9 的图片题。</text></questiontext>
 <image>images/old.png</image>
 <image_base64>{old64}</image_base64>
 <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
</question>
<question type="truefalse">
 <questiontext format="html"><text>只有图片名的旧题。</text></questiontext>
 <image>lost.png</image>
 <answer fraction="0"><text>true</text></answer><answer fraction="100"><text>false</text></answer>
</question>
<question type="multichoice">
 <questiontext format="html"><text>分值有三位小数。</text></questiontext>
 <defaultgrade>1.125</defaultgrade>
 <answer fraction="100"><text>甲</text></answer><answer fraction="0"><text>乙</text></answer>
</question>
</quiz>""".encode()


@pytest.fixture
def cleanup_images():
    yield
    get_image_model().objects.all().delete()
    Collection.objects.filter(name=QUESTION_MEDIA_COLLECTION).delete()


def problems_of(preview) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in preview.context["file_problems"]:
        found.setdefault(problem["location"], []).append(problem["message"])
    return found


def test_the_dry_run_lists_every_loss_and_refuses_only_the_bad_question(trainer_client, cleanup_images):
    preview = upload(trainer_client, moodle_bank(), "bank.xml")
    problems = problems_of(preview)
    first, second, third, fourth = (
        problems["question 1 (line 4)"],
        problems["question 2 (line 20)"],
        problems["question 3 (line 27)"],
        problems["question 4 (line 32)"],
    )
    text = " ".join(first)
    assert "Not kept by this bank, so not imported: the hints, the combined feedback" in text
    assert "the ID number" in text
    assert "“clip.mp3” is not an image this site can show" in text
    assert "The image “missing.png” is not inside the file" in text
    assert "The tag “" in text and "longer than 100 characters" in text
    assert "href=@@PLUGINFILE@@" not in text  # a relative link is not "javascript:", it is just dropped
    assert any("The name is longer than 200 characters" in message for message in second)
    assert any("Moodle 1.9 <image>" in message and "lost.png" in message for message in third)
    assert any("2 decimal places" in message for message in fourth)
    effects = {(p["location"], p["skipped"]) for p in preview.context["file_problems"]}
    assert ("question 4 (line 32)", True) in effects and ("question 1 (line 4)", True) not in effects
    assert "Confirm import of 3 questions" in preview.content.decode()
    assert Question.objects.count() == 0 and not get_image_model().objects.exists()

    response = confirm(trainer_client, preview)
    assert response.status_code == 302
    assert Question.objects.count() == 3
    logo = Question.objects.get(name="城市徽标")
    long_option = logo.choices.get(sort_order=1)
    assert html_to_plain(long_option.text).count("长") == 700  # no longer cut at 500 characters
    assert [len(tag) for tag in sorted(logo.tags.names(), key=len)] == [2, 100]
    assert len(Question.objects.get(stem__contains="Moodle 1.9").name) == 200


def test_an_embedded_image_becomes_a_wagtail_image_shown_with_its_alt_text(trainer_client, cleanup_images):
    confirm(trainer_client, upload(trainer_client, moodle_bank(), "bank.xml"))

    images = get_image_model().objects.filter(collection__name=QUESTION_MEDIA_COLLECTION).order_by("pk")
    assert [image.title for image in images] == ["城市徽标图案", "old.png"]
    assert "logo" not in images[0].file.name  # named by content, not by the author's file name
    logo = Question.objects.get(name="城市徽标")
    assert f'<embed embedtype="image" id="{images[0].pk}" format="fullwidth" alt="城市徽标图案"/>' in logo.stem
    assert "录音" in logo.general_feedback and "@@" not in logo.general_feedback

    rendered = Template("{% load question_html %}{{ stem|question_html }}").render(Context({"stem": logo.stem}))
    assert '<img alt="城市徽标图案"' in rendered and 'src="/learn/images/' in rendered  # through the checked image view
    assert "&lt;" not in rendered and "&amp;nbsp;" not in rendered

    # The same picture imported again is the same Wagtail image.
    confirm(trainer_client, upload(trainer_client, moodle_bank(), "bank.xml"))
    assert get_image_model().objects.count() == 2


# ---------------------------------------------------------------------------- never a 500 on confirm


GIFT_BANK = (
    "$CATEGORY: 模糊\n\n::Q1::[html]<p>第一题 <b>粗</b></p>{=对 ~错}\n\n::Q2::第二题{T}\n\n"
    "::Q3::[markdown]**第三题**{=甲 =乙}\n\n// [tag:" + "t" * 120 + "]\n::Q4::第四题{~%50%a ~%50%b ~%-100%c}\n"
)


def variants(data: bytes, seed: int, count: int) -> list[bytes]:
    rng = random.Random(seed)
    found = [data[: len(data) * cut // 10] for cut in range(1, 10)]
    for _ in range(count):
        mutated = bytearray(data)
        for _ in range(rng.randint(1, 6)):
            position = rng.randrange(len(mutated))
            choice = rng.random()
            if choice < 0.4:
                mutated[position] = rng.randrange(256)
            elif choice < 0.7:
                del mutated[position : position + rng.randint(1, 40)]
            else:
                mutated[position:position] = rng.choice([b"<", b"&", b"{", b"}", b"\x00", b"9" * 8, b".123", b"\xff"])
        found.append(bytes(mutated))
    return found


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("fuzz.xml", moodle_bank()),
        ("fuzz.gift", GIFT_BANK.encode()),
        ("fuzz.xlsx", xlsx([*XSS_EXCEL, ["判断题", "判断", "", "", "", "", "", "", "对", "1.005", "", "x" * 130]])),
    ],
)
def test_whatever_passes_the_dry_run_is_confirmed_without_error(trainer_client, cleanup_images, name, data):
    for index, variant in enumerate(variants(data, seed=14, count=12)):
        preview = upload(trainer_client, variant, name)
        assert preview.status_code == 200, index
        if "confirm_form" not in preview.context:
            assert preview.context["form"].errors, index  # refused with a message
            continue
        rows = len(preview.context["rows"])
        if not rows:
            continue
        before = Question.objects.count()
        response = confirm(trainer_client, preview)
        assert response.status_code == 302, index
        assert Question.objects.count() - before == rows, index


def test_categories_with_long_names_are_refused_per_question(trainer_client):
    gift = f"$CATEGORY: {'类' * 130}\n\n长分类 {{=对 ~错}}\n\n$CATEGORY: 短\n\n短分类 {{=对 ~错}}\n"
    preview = upload(trainer_client, gift.encode(), "bank.gift")
    assert confirm(trainer_client, preview).status_code == 302
    assert list(Question.objects.values_list("category__name", flat=True)) == ["短"]
    assert not QuestionCategory.objects.filter(name__startswith="类").exists()


def test_the_dry_run_says_which_encoding_it_read_and_the_choice_overrides_it(trainer_client):
    data = "$CATEGORY: Français\n\n::Café::Le guichet est-il ouvert à tous ? {T}".encode("cp1252")
    detected = upload(trainer_client, data, "western.gift")
    assert "The file was read as Windows-1252." in detected.content.decode()
    assert detected.context["rows"][0].stem == "Le guichet est-il ouvert à tous ?"

    chosen = upload(trainer_client, data, "western.gift", encoding="utf-8")
    assert "not valid UTF-8 text" in chosen.content.decode() and "confirm_form" not in chosen.context

    forced = upload(
        trainer_client, "$CATEGORY: 中文\n\n::一网::一网通办已经上线。{T}".encode("gbk"), "cn.gift", encoding="gb18030"
    )
    assert forced.context["confirm_form"].initial["encoding"] == "gb18030"
    assert confirm(trainer_client, forced).status_code == 302
    assert Question.objects.get().stem == "一网通办已经上线。"
