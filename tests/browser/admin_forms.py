"""Shared steps for the browser tests that edit a snippet in the Wagtail admin."""

from playwright.sync_api import expect

SAVE_BUTTON = "footer button.action-save, button[type=submit].action-save"


def type_rich_text(page, hidden_input: str, text: str) -> None:
    """Type into the Draftail editor that keeps its content in `hidden_input` (a CSS selector),
    as a person does: once the editor has the focus, then wait until the editor has saved the text
    into its input. Draftail saves a moment after the last keystroke, and a form sent before that
    posts the text as it was; keys typed before the editor has the focus are lost."""
    editor = page.locator(hidden_input).locator("xpath=..").locator("[contenteditable='true']").first
    editor.click()
    expect(editor).to_be_focused()
    editor.press_sequentially(text)
    page.wait_for_function(
        "([selector, text]) => (document.querySelector(selector).value || '').includes(JSON.stringify(text).slice(1, -1))",
        arg=[hidden_input, text],
    )


def save_admin_form(page) -> None:
    """Click the form's save button and wait for the page it answers with (the listing after a
    save, the form again with its errors): waiting for "network idle" alone can return before the
    POST has started on a loaded machine. A server error fails here, with the response's status
    and text, instead of later as a missing row."""
    with page.expect_navigation() as navigation:
        page.locator(SAVE_BUTTON).first.click()
    _fail_on_server_error(navigation.value)
    page.wait_for_load_state("networkidle")


def _fail_on_server_error(response) -> None:
    if response is not None and response.status >= 500:
        raise AssertionError(f"the save answered {response.status}: {response.text()[:2000]}")


def publish_admin_form(page) -> None:
    """Open the footer's action menu and click Publish (a question a live quiz asks, or a quiz,
    is saved as a draft by the main button; someone who may publish publishes it from the menu),
    then wait for the page the POST answers with, as save_admin_form."""
    page.click("footer .w-dropdown__toggle")
    with page.expect_navigation() as navigation:
        page.locator("footer button[name=action-publish]").click()
    _fail_on_server_error(navigation.value)
    page.wait_for_load_state("networkidle")
