import pytest

from tests.factories.reports import build_city


@pytest.fixture(autouse=True)
def _files(file_roots):
    """Background exports are written to this test's own private folder."""


@pytest.fixture
def events(django_capture_on_commit_callbacks):
    """Run the block's on-commit callbacks (the summary refreshes) as a commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def city(catalogue, events):
    with events():
        return build_city(catalogue)
