"""Shared steps for the browser tests that edit a snippet in the Wagtail admin."""

SAVE_BUTTON = "footer button.action-save, button[type=submit].action-save"


def save_admin_form(page) -> None:
    """Click the form's save button and wait for the page it answers with (the listing after a
    save, the form again with its errors): waiting for "network idle" alone can return before the
    POST has started on a loaded machine."""
    with page.expect_navigation():
        page.locator(SAVE_BUTTON).first.click()
    page.wait_for_load_state("networkidle")


def publish_admin_form(page) -> None:
    """Open the footer's action menu and click Publish (a question a live quiz asks, or a quiz,
    is saved as a draft by the main button; someone who may publish publishes it from the menu),
    then wait for the page the POST answers with, as save_admin_form."""
    page.click("footer .w-dropdown__toggle")
    with page.expect_navigation():
        page.locator("footer button[name=action-publish]").click()
    page.wait_for_load_state("networkidle")
