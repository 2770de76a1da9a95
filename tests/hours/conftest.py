import pytest

from tests.factories.reports import build_city


@pytest.fixture(autouse=True)
def _media(file_roots):
    pass


@pytest.fixture
def city(catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return build_city(catalogue)
