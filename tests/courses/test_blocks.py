"""Every block a trainer can insert has a template that exists, an icon, and a preview."""

import pytest
from django.template.loader import get_template
from wagtail import blocks

from courses.blocks import LessonStreamBlock
from home.models import InfoStreamBlock

STREAM_BLOCKS = [LessonStreamBlock(), InfoStreamBlock()]


def all_blocks(block):
    yield block
    for child in getattr(block, "child_blocks", {}).values():
        yield from all_blocks(child)
    if isinstance(block, blocks.ListBlock):
        yield from all_blocks(block.child_block)


def top_level_blocks():
    for stream in STREAM_BLOCKS:
        yield from ((f"{type(stream).__name__}.{name}", child) for name, child in stream.child_blocks.items())


@pytest.mark.parametrize(("name", "block"), list(top_level_blocks()))
def test_every_insertable_block_has_template_icon_description_and_preview(name, block):
    template = getattr(block.meta, "template", None)
    assert template and template.startswith("blocks/"), name
    get_template(template)  # raises TemplateDoesNotExist
    assert block.meta.icon and block.meta.icon != "placeholder", name
    assert block.get_description(), name
    assert block.is_previewable, name


def test_every_block_template_anywhere_in_the_tree_exists():
    for stream in STREAM_BLOCKS:
        for block in all_blocks(stream):
            template = getattr(block.meta, "template", None)
            if template:
                get_template(template)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "block"), list(top_level_blocks()))
def test_every_block_renders_its_preview_value(name, block):
    value = block.get_preview_value()
    html = block.render(value)
    assert html.strip(), name


@pytest.mark.parametrize(
    ("authored", "shown"),
    [
        ("<h3>A</h3><p>x</p><h4 class='k'>B</h4>", "<h2>A</h2><p>x</p><h3 class='k'>B</h3>"),
        ("<h2>A</h2><h3>B</h3><h2>C</h2>", "<h2>A</h2><h3>B</h3><h2>C</h2>"),
        ("<h2>A</h2><h4>B</h4><h3>C</h3>", "<h2>A</h2><h3>B</h3><h3>C</h3>"),
        ("<h1>A</h1><h5>B</h5>", "<h2>A</h2><h3>B</h3>"),
        ("<p>no headings, <header>not a heading</header></p>", "<p>no headings, <header>not a heading</header></p>"),
    ],
)
def test_authored_headings_follow_the_page_title_without_skipping_a_level(authored, shown):
    from courses.templatetags.learning_tags import outline_headings

    assert outline_headings(authored) == shown
