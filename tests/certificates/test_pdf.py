"""The drawing itself: a Chinese name in the embedded Noto Sans CJK SC face, the course, the
code and the verification address, as text a PDF reader extracts."""

import datetime
from decimal import Decimal

from fontTools.ttLib import TTFont

from certificates.pdf import FONT_FACE_SC, FONT_PATH, CertificateContent, render_certificate
from tests.certificates.conftest import pdf_font_names, pdf_text

CONTENT = CertificateContent(
    learner_name="张伟",
    course_title="信息安全基础",
    hours=Decimal("1.50"),
    completed_on=datetime.date(2026, 9, 3),
    code="ABCD-EFGH-JKMN-PQRS",
    verify_url="https://training.example.gov.cn/certificates/verify/ABCDEFGHJKMNPQRS/",
    issuer_zh="市信息化办公室",
    issuer_en="Municipal Informatization Office",
)


def test_the_configured_face_is_noto_sans_cjk_simplified_chinese():
    font = TTFont(FONT_PATH, fontNumber=FONT_FACE_SC, lazy=True)
    assert font["name"].getDebugName(4) == "Noto Sans CJK SC"


def test_the_pdf_has_the_chinese_name_course_code_address_and_an_embedded_noto_font():
    data = render_certificate(CONTENT)
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    for expected in [
        "结业证书",
        "CertificateofCompletion",
        "张伟",
        "信息安全基础",
        "ABCD-EFGH-JKMN-PQRS",
        "https://training.example.gov.cn/certificates/verify/ABCDEFGHJKMNPQRS/",
        "1.5",
        "2026年9月3日",
        "市信息化办公室",
    ]:
        assert expected in text, expected
    assert any("NotoSansCJK" in name for name in pdf_font_names(data))


def test_the_pdf_metadata_names_the_certificate_and_the_issuer():
    import io

    from pypdf import PdfReader

    info = PdfReader(io.BytesIO(render_certificate(CONTENT))).metadata
    assert "张伟" in info.title and "信息安全基础" in info.title
    assert info.author == "市信息化办公室 Municipal Informatization Office"


def test_a_very_long_name_is_shrunk_to_fit_and_still_printed_whole():
    long_name = "欧阳娜娜" * 12
    text = pdf_text(render_certificate(CertificateContent(**{**CONTENT.__dict__, "learner_name": long_name})))
    assert long_name in text
