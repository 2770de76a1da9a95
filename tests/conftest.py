import os

import pytest
from django.db import connection

from tests.factories import build_course, build_site

# Browser fixtures (chromium, live servers, the checking Visitor) for tests/browser and tests/journeys.
pytest_plugins = ["tests.browser.fixtures"]

# In CI the real services must be there: a missing one fails the run instead of skipping tests.
SERVICES_REQUIRED = os.environ.get("REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(items):
    """The role journeys (tests/journeys) keep a demo city in the test database for the rest of the
    session, so they run after every other test; the deployment test (tests/deployment) copies
    that city and runs last."""

    def order(item):
        path = item.nodeid.replace("\\", "/")
        return 2 if "tests/deployment/" in path else 1 if "tests/journeys/" in path else 0

    items.sort(key=order)


# Seconds spent (set-up, call, tear-down) by the tests that drive chromium, printed at the end of a
# run: the browser suite's duration is watched in every CI log, not guessed.
BROWSER_SECONDS: dict[str, float] = {}


def pytest_runtest_logreport(report):
    if "browser" in report.keywords:
        BROWSER_SECONDS[report.nodeid] = BROWSER_SECONDS.get(report.nodeid, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    from tests.deployment.conftest import DAY_SECONDS, LESSON_P95

    for stack, seconds in DAY_SECONDS.items():
        terminalreporter.write_line(f"deployment: the scripted day on {stack} (web+worker) took {seconds:.1f} s")
    if LESSON_P95:
        terminalreporter.write_line(
            "deployment: a learner's lesson page, p95 "
            + ", ".join(f"{when} {seconds * 1000:.0f} ms" for when, seconds in LESSON_P95.items())
        )
    if BROWSER_SECONDS:
        minutes = sum(BROWSER_SECONDS.values()) / 60
        terminalreporter.write_line(f"browser suite: {len(BROWSER_SECONDS)} tests, {minutes:.1f} min")


def skip_or_fail(reason: str):
    if SERVICES_REQUIRED:
        pytest.fail(f"{reason} (REQUIRE_SERVICES is set)")
    pytest.skip(reason)


@pytest.fixture
def require_postgres(db):
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: set DATABASE_URL")


@pytest.fixture
def file_roots(settings, tmp_path):
    """Public media and private files in this test's own folders, side by side as in production
    (neither inside the other). Returns (MEDIA_ROOT, PRIVATE_ROOT)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT, settings.PRIVATE_ROOT


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    # Most assertions read English text; the i18n tests switch languages explicitly.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _empty_cache():
    # Outlines and rendered bodies are cached by page id; no test may see another's.
    from django.core.cache import caches

    for alias in ("default", "renditions", "fragments"):
        caches[alias].clear()


@pytest.fixture
def site_tree(db):
    return build_site()


@pytest.fixture
def catalogue(site_tree):
    return site_tree[1]


@pytest.fixture
def course(catalogue):
    return build_course(catalogue, steps=3, sequential=True)


@pytest.fixture
def learner(db):
    from tests.factories import UserFactory

    return UserFactory(username="learner1")


def _stand_in_certificate_pdf(content) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=f"Certificate {content.code} {content.verify_url}")
    return bytes(pdf.output())


@pytest.fixture(autouse=True)
def _quick_certificate_pdfs(request, monkeypatch):
    """Drawing a real certificate subsets a 19 MB CJK font (about a second each), and every test
    that completes a course issues one. Tests that read the drawn certificate are marked
    `real_pdf`; the others keep the whole pipeline (task, storage, download) with a small
    stand-in PDF, so font subsetting does not dominate the suite."""
    if request.node.get_closest_marker("real_pdf"):
        return
    monkeypatch.setattr("certificates.services.render_certificate", _stand_in_certificate_pdf)
