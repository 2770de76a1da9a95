"""An editor changes the About page in the Wagtail admin and publishes it; readers then see the new
text at once, in every interface language. The page body is cached per publication and language
(the "fragments" cache, templates/home/info_page.html): a publication must never be hidden by the
body that was cached for the one before it."""

import pytest

from home.models import InfoPage
from tests.browser.admin_forms import publish_admin_form
from tests.browser.test_admin import admin_login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

OLD_TEXT = "本平台由市信息化办公室运营，每周一更新课程。"
NEW_TEXT = "本平台自今年起由市数据局运营。"
BODY_FIELD = "body-0-value"  # the About page's one rich-text block


def replace_rich_text(page, field: str, text: str) -> None:
    """Select everything in the Draftail editor of `field` and type `text` over it, then wait until
    Draftail has saved it into its hidden input (it does so a moment after the last keystroke; a
    form sent before then would post the old text)."""
    editor = page.locator(f"input[name='{field}'] ~ * [contenteditable='true']").first
    editor.wait_for()
    editor.click()
    editor.press("ControlOrMeta+a")
    editor.press_sequentially(text)
    page.wait_for_function(
        "([name, text]) => (document.querySelector(`input[name='${name}']`).value || '').includes(text)",
        arg=[field, text],
    )


def about_body(visitor) -> str:
    visitor.goto("/about/", expect_status=200)
    return visitor.text(".page-body")


@pytest.fixture
def about(site_tree):
    """The About page with a published revision, as pages edited in the admin have."""
    page = InfoPage.objects.get(slug="about")
    page.body = [{"type": "rich_text", "value": f"<p>{OLD_TEXT}</p>"}]
    page.save_revision().publish()
    return InfoPage.objects.get(pk=page.pk)


def test_a_published_change_to_the_about_page_shows_in_both_languages(live_server_url, visitor_factory, about):
    UserFactory(username="site-editor", is_superuser=True, is_staff=True)
    readers = {
        "en": visitor_factory(live_server_url, locale="en-US"),
        "zh-hans": visitor_factory(live_server_url, locale="zh-CN"),
    }
    # Each reader's language has its own cached body now, holding the old text.
    for language, reader in readers.items():
        assert OLD_TEXT in about_body(reader)
        assert reader.page.locator("html").get_attribute("lang") == language

    editor = visitor_factory(live_server_url)
    admin_login(editor, "site-editor")
    editor.goto(f"/admin/pages/{about.pk}/edit/")
    replace_rich_text(editor.page, BODY_FIELD, NEW_TEXT)
    publish_admin_form(editor.page)
    editor.settle()

    about.refresh_from_db()
    assert not about.has_unpublished_changes
    published = about.live_revision.as_object().body.raw_data
    assert len(published) == 1 and NEW_TEXT in published[0]["value"] and OLD_TEXT not in published[0]["value"]

    for language, reader in readers.items():
        body = about_body(reader)
        assert NEW_TEXT in body, language
        assert OLD_TEXT not in body, language
        assert reader.page.locator("html").get_attribute("lang") == language
