"""Draws a certificate as an A4 landscape PDF with fpdf2: bilingual labels (Chinese and English,
as a government certificate may be shown to either), the recipient's name in Noto Sans CJK so
Chinese names render on any machine, and a vector QR code pointing to the verification page.

Pure: plain values in, bytes out; no ORM and no settings."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import noto_cjk_sans_otc
import segno
from fpdf import FPDF

# fpdf2 embeds (and subsets) the CFF outlines of Noto CJK, which reportlab cannot.
FONT_PATH = Path(noto_cjk_sans_otc.__file__).parent / noto_cjk_sans_otc.FONT_FILE
# The collection holds JP, KR, SC, TC, HK (then the Mono faces) in that order; face 2 is
# "Noto Sans CJK SC" (name table, checked by tests/certificates/test_pdf.py), whose glyph
# shapes are the mainland Simplified Chinese ones.
FONT_FACE_SC = 2
FONT = "noto-sc"
# Bump when the drawing changes: PDFs drawn with an older layout are rendered again on demand.
LAYOUT_VERSION = 1

PAGE_W, PAGE_H = 297, 210  # mm, A4 landscape
INK = (33, 37, 41)
ACCENT = (153, 27, 27)  # the red of official seals and headings
MUTED = (90, 96, 104)


@dataclass(frozen=True)
class CertificateContent:
    learner_name: str
    course_title: str
    hours: Decimal
    completed_on: datetime.date
    code: str  # as printed (grouped)
    verify_url: str
    issuer_zh: str
    issuer_en: str


def _hours_text(hours: Decimal) -> str:
    return f"{Decimal(hours).normalize():f}"  # 1.50 -> 1.5, 2.00 -> 2


def _fit_size(pdf: FPDF, text: str, *, width: float, largest: float, smallest: float) -> float:
    """The largest font size (pt) at which the text fits the width on one line."""
    size = largest
    while size > smallest:
        pdf.set_font_size(size)
        if pdf.get_string_width(text) <= width:
            break
        size -= 1
    pdf.set_font_size(size)
    return size


def _centred(pdf: FPDF, y: float, text: str, *, size: float, color=INK, height: float | None = None) -> None:
    pdf.set_text_color(*color)
    pdf.set_font_size(size)
    pdf.set_xy(0, y)
    pdf.cell(w=PAGE_W, h=height or size * 0.45, text=text, align="C")


def _draw_qr(pdf: FPDF, url: str, *, x: float, y: float, size: float) -> None:
    """The QR matrix as filled rectangles (vector, no image file), one per horizontal run."""
    qr = segno.make(url, error="m")
    rows = [list(row) for row in qr.matrix_iter(scale=1, border=0)]
    module = size / len(rows)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                pdf.rect(x + start * module, y + r * module, (c - start) * module, module, style="F")
            else:
                c += 1


def render_certificate(content: CertificateContent) -> bytes:
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.set_title(f"结业证书 Certificate of Completion · {content.learner_name} · {content.course_title}")
    pdf.set_author(f"{content.issuer_zh} {content.issuer_en}")
    pdf.set_subject(content.course_title)
    pdf.set_creator("City E-Government Training")
    pdf.set_keywords(content.code)
    pdf.set_lang("zh-CN")
    pdf.add_font(FONT, fname=str(FONT_PATH), collection_font_number=FONT_FACE_SC)
    pdf.add_page()
    pdf.set_font(FONT, size=12)

    # Frame: a thick outer rule and a thin inner one.
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, PAGE_W - 20, PAGE_H - 20)
    pdf.set_line_width(0.3)
    pdf.rect(14, 14, PAGE_W - 28, PAGE_H - 28)

    _centred(pdf, 26, "结业证书", size=34, color=ACCENT)
    _centred(pdf, 43, "Certificate of Completion", size=16, color=ACCENT)
    _centred(pdf, 60, "兹证明  This is to certify that", size=12, color=MUTED)

    pdf.set_text_color(*INK)
    size = _fit_size(pdf, content.learner_name, width=230, largest=36, smallest=14)
    pdf.set_xy(0, 68)
    pdf.cell(w=PAGE_W, h=16, text=content.learner_name, align="C")

    _centred(pdf, 90, "已完成课程  has completed the course", size=12, color=MUTED)
    pdf.set_text_color(*INK)
    size = _fit_size(pdf, content.course_title, width=230, largest=22, smallest=14)
    pdf.set_xy(33.5, 98)
    pdf.multi_cell(w=230, h=size * 0.5, text=content.course_title, align="C", max_line_height=size * 0.5)

    date = content.completed_on
    _centred(
        pdf,
        122,
        f"学时 Credit hours: {_hours_text(content.hours)}      "
        f"完成日期 Completed on: {date.year}年{date.month}月{date.day}日 ({date.isoformat()})",
        size=12,
    )

    # Issuer, bottom left.
    pdf.set_text_color(*INK)
    pdf.set_font_size(14)
    pdf.set_xy(30, 150)
    pdf.cell(w=150, h=8, text=content.issuer_zh)
    pdf.set_font_size(11)
    pdf.set_xy(30, 158)
    pdf.cell(w=150, h=6, text=content.issuer_en)
    pdf.set_draw_color(*MUTED)
    pdf.set_line_width(0.2)
    pdf.line(30, 149, 120, 149)

    # Verification, bottom right: the QR code, the code and the address in small text.
    qr_size, qr_x, qr_y = 32, PAGE_W - 30 - 32, 138
    _draw_qr(pdf, content.verify_url, x=qr_x, y=qr_y, size=qr_size)
    pdf.set_text_color(*MUTED)
    pdf.set_font_size(9)
    pdf.set_xy(120, 176)
    pdf.cell(w=PAGE_W - 30 - 120, h=5, text=f"验证码 Verification code: {content.code}", align="R")
    pdf.set_font_size(7)
    pdf.set_xy(120, 181)
    pdf.cell(w=PAGE_W - 30 - 120, h=4, text=content.verify_url, align="R")
    pdf.set_xy(120, 186)
    pdf.cell(
        w=PAGE_W - 30 - 120, h=4, text="扫码或访问上述网址验证  Scan the code or visit the address to verify", align="R"
    )
    return bytes(pdf.output())
