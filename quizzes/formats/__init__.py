"""Import and export of question banks: GIFT, Moodle XML and the Chinese Excel layout.

Pure Python (no Django): parsers take the uploaded bytes (or decoded text for GIFT, see
decode_text) and return an ImportResult; exporters take ImportedQuestion objects.
"""

from quizzes.formats.common import (
    ImportedQuestion,
    ImportFormatError,
    ImportProblem,
    ImportResult,
    decode_text,
    encoding_name,
)
from quizzes.formats.excel import excel_template, excel_unexportable, export_excel, parse_excel
from quizzes.formats.gift import export_gift, gift_unexportable, parse_gift
from quizzes.formats.moodle_xml import export_moodle_xml, parse_moodle_xml

__all__ = [
    "ImportFormatError",
    "ImportProblem",
    "ImportResult",
    "ImportedQuestion",
    "decode_text",
    "encoding_name",
    "excel_template",
    "excel_unexportable",
    "export_excel",
    "export_gift",
    "export_moodle_xml",
    "gift_unexportable",
    "parse_excel",
    "parse_gift",
    "parse_moodle_xml",
]
