"""On a phone the header menu folds behind its button (mouse and keyboard, Escape closes it), and a
report printed from the browser leaves out the navigation and forms and shows its print header."""

import pytest

from tests.browser.checks import PHONE
from tests.factories.reports import build_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"


def test_the_header_menu_opens_from_its_button_on_a_phone_and_its_links_work(visitor, catalogue):
    page = visitor.page
    page.set_viewport_size(PHONE)
    visitor.goto("/")
    toggle = page.locator("[data-menu-toggle]")
    menu = page.locator("#" + toggle.get_attribute("aria-controls"))
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()

    visitor.click(toggle)
    assert toggle.get_attribute("aria-expanded") == "true" and menu.is_visible()
    visitor.check_page()  # the open menu passes the checks too

    # Escape closes it and leaves the keyboard on the button; Enter opens it again.
    menu.locator("a").first.focus()
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false" and not menu.is_visible()
    assert page.evaluate("() => document.activeElement.hasAttribute('data-menu-toggle')")
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true" and menu.is_visible()

    visitor.click(menu.locator("a[href='/courses/']"))
    assert page.url.endswith("/courses/")
    assert not page.locator("#site-menu").is_visible()  # a new page starts with the menu folded


def test_at_desktop_width_the_menu_is_open_and_the_button_hidden(visitor, catalogue):
    visitor.goto("/")
    page = visitor.page
    assert not page.locator("[data-menu-toggle]").is_visible()
    assert page.locator("#site-menu a[href='/courses/']").is_visible()


def test_a_printed_report_shows_its_print_header_and_no_navigation_or_forms(visitor, catalogue):
    city = build_city(catalogue)
    visitor.log_in(city.finance_head.username, PASSWORD)
    visitor.goto(f"/reports/?department={city.budget.pk}")
    page = visitor.page
    header = page.locator("[data-print-header]")
    assert not header.is_visible()  # on screen

    page.emulate_media(media="print")
    assert header.is_visible()
    assert city.budget.name_en in header.locator("[data-print-scope]").inner_text()
    for screen_only in ["header.site-header", "nav", "form", "button", "footer"]:
        shown = page.locator(screen_only).evaluate_all("(all) => all.filter((el) => el.getClientRects().length > 0).length")
        assert shown == 0, screen_only
    assert page.locator("table.report-table").first.is_visible()

    page.emulate_media(media="screen")
    assert not header.is_visible() and page.locator("header.site-header").is_visible()
