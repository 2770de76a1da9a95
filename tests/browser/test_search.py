"""A learner searches the catalogue in a real browser: types a Chinese and English query, sees the
course grouped with its matching step and the words marked in the snippet, and opens the step."""

import pytest

from tests.search.conftest import corpus  # noqa: F401 (the search tests' catalogue, as a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"


def test_a_learner_searches_the_catalogue_and_opens_the_matching_step(visitor, corpus, catalogue):  # noqa: F811
    page = visitor.page
    visitor.log_in(corpus["outsider"].username, PASSWORD)
    visitor.goto(catalogue.url)
    page.fill("#id_q", "CA 证书")
    visitor.press("#id_q", "Enter")

    groups = page.locator(".search-group")
    assert groups.count() == 1
    group = groups.first
    assert "网络安全意识" in group.locator(".card-title").inner_text()
    assert group.locator(".search-step-title").inner_text() == "数字证书"
    marked = group.locator(".search-snippet mark").all_inner_texts()
    assert marked == ["CA", "证书"]
    assert page.locator("#id_q").input_value() == "CA 证书"  # the query stays in the form

    visitor.click(group.locator("a.search-step-title"))
    assert page.locator("h1").inner_text() == "数字证书"

    visitor.goto(catalogue.url + "?q=预算")  # the finance bureau's course is not found by others
    assert "预算一体化系统操作" not in visitor.text()
    assert "Nothing found" in visitor.text()
