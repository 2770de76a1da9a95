import codecs
import subprocess
import sys

import pytest

from quizzes.formats import ImportFormatError, decode_text, parse_gift
from quizzes.formats.common import detect_encoding

GIFT = """$CATEGORY: $course$/top/电子政务/政务服务

::一网通办::“一网通办”中的“一网”指的是？{
	=全国一体化政务服务平台
	~单位内部局域网
	####企业和群众办事只需登录一个平台。
}

::电子证照::电子证照与纸质证照具有同等法律效力。{T}
"""


def expected_questions():
    return parse_gift(GIFT).questions


@pytest.mark.parametrize(
    ("label", "data"),
    [
        ("UTF-8", GIFT.encode("utf-8")),
        ("UTF-8 with BOM", codecs.BOM_UTF8 + GIFT.encode("utf-8")),
        ("GBK", GIFT.encode("gbk")),
        ("GB18030", GIFT.encode("gb18030")),
        ("UTF-16 with BOM", GIFT.encode("utf-16")),
        ("Windows line endings in GBK", GIFT.replace("\n", "\r\n").encode("gbk")),
    ],
)
def test_gift_files_from_chinese_editors_decode_to_the_same_questions(label, data):
    result = parse_gift(decode_text(data))

    assert result.problems == []
    assert [(q.spec, q.category) for q in result.questions] == [(q.spec, q.category) for q in expected_questions()]
    assert result.questions[0].category == "电子政务/政务服务"


def test_the_byte_order_mark_is_not_part_of_the_text():
    assert decode_text(codecs.BOM_UTF8 + "题库".encode()) == "题库"


def test_characters_outside_gbk_are_read_from_gb18030():
    assert decode_text("𠮷野家与“䶮”字".encode("gb18030")) == "𠮷野家与“䶮”字"


def test_plain_ascii_is_read_as_it_is():
    assert decode_text(b"::Q1::2+2=4 {T}") == "::Q1::2+2=4 {T}"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "The file contains binary data, not text."),
        (
            b"\x81\x8d\x8f\x90 \x9d\xff",
            "The file is not UTF-8, UTF-16, GBK (GB18030) or Windows-1252 text; choose its encoding.",
        ),
        (codecs.BOM_UTF8 + b"\xff\xfe\xfd", "The file starts like UTF-8 text but is not valid UTF-8."),
        (codecs.BOM_UTF16_LE + b"\x00\xd8", "The file starts like UTF-16 text but is not valid UTF-16."),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "The file contains binary data, not text."),
    ],
)
def test_files_that_are_not_text_are_refused_with_a_clear_message(data, message):
    with pytest.raises(ImportFormatError) as error:
        decode_text(data)

    assert str(error.value) == message
    assert isinstance(error.value, ValueError)


def test_the_formats_package_does_not_import_django():
    code = "import sys, quizzes.formats; sys.exit(any(name.split('.')[0] == 'django' for name in sys.modules))"

    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)

    assert completed.returncode == 0, completed.stderr


WESTERN = "::Café::Le “guichet unique” – déjà ouvert ? Größe, naïve {T}"
CHINESE = "::一网通办::“一网通办”已经上线。{T}"


@pytest.mark.parametrize(
    ("label", "data", "detected"),
    [
        ("UTF-8", CHINESE.encode("utf-8"), "utf-8"),
        ("UTF-8 with BOM", codecs.BOM_UTF8 + CHINESE.encode("utf-8"), "utf-8-sig"),
        ("UTF-16 LE with BOM", CHINESE.encode("utf-16"), "utf-16"),
        ("UTF-16 BE with BOM", codecs.BOM_UTF16_BE + CHINESE.encode("utf-16-be"), "utf-16"),
        ("UTF-16 LE without BOM", CHINESE.encode("utf-16-le"), "utf-16-le"),
        ("UTF-16 BE without BOM", CHINESE.encode("utf-16-be"), "utf-16-be"),
        ("GBK", CHINESE.encode("gbk"), "gb18030"),
        ("GB18030 (four-byte characters)", "𠮷野家与“䶮”字 {T}".encode("gb18030"), "gb18030"),
        ("Windows-1252", WESTERN.encode("cp1252"), "cp1252"),
        ("Windows-1252, accents only", "Déjà vu, ça va {T}".encode("cp1252"), "cp1252"),
        ("ASCII", b"::Q::2+2=4 {T}", "utf-8"),
    ],
)
def test_the_encoding_of_a_text_file_is_detected(label, data, detected):
    assert detect_encoding(data) == detected
    text = decode_text(data)
    assert text in (CHINESE, WESTERN, "𠮷野家与“䶮”字 {T}", "Déjà vu, ça va {T}", "::Q::2+2=4 {T}")


def test_a_chosen_encoding_overrides_detection():
    data = WESTERN.encode("cp1252")
    assert decode_text(data, "cp1252") == WESTERN
    assert decode_text(CHINESE.encode("gbk"), "cp1252") != CHINESE  # a wrong choice shows garbled text
    with pytest.raises(ImportFormatError, match="not valid UTF-8"):
        decode_text(data, "utf-8")
    with pytest.raises(ImportFormatError, match="not valid GBK"):
        decode_text(data, "gb18030")
