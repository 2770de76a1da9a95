"""StreamField blocks for step-by-step IT teaching. Every block has a template, an icon,
a description and a preview value so trainers see what they are inserting."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "code"]


class RichTextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Text")
        template = "blocks/rich_text_block.html"
        description = _("Paragraphs, lists and links.")
        preview_value = "<p>电子政务是政府机关运用现代信息和通信技术，将管理和服务通过网络实现的新型政府管理形态。</p>"


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Level"), choices=[("h2", _("Section heading")), ("h3", _("Sub-heading"))], default="h2"
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading_block.html"
        description = _("A heading that structures the step and appears in its outline.")
        preview_value = {"text": "什么是电子政务", "level": "h2"}


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"), max_length=200, help_text=_("Describe the image for screen-reader users.")
    )
    caption = blocks.CharBlock(label=_("Caption"), max_length=250, required=False)

    class Meta:
        icon = "image"
        label = _("Image with caption")
        template = "blocks/captioned_image_block.html"
        description = _("A diagram or picture with a caption and alternative text.")
        preview_value = {"alt_text": "一个平台、四个基础库、十二个业务系统示意图", "caption": "电子政务总体框架"}


class InstructionStepBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(label=_("What to do"), features=["bold", "italic", "link", "code"])
    screenshot = ImageChooserBlock(label=_("Screenshot"), required=False)
    screenshot_alt = blocks.CharBlock(label=_("Screenshot description"), max_length=200, required=False)

    class Meta:
        icon = "list-ol"
        label = _("Instruction")


class NumberedInstructionsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120, required=False)
    steps = blocks.ListBlock(InstructionStepBlock(), label=_("Steps"), min_num=1)

    class Meta:
        icon = "list-ol"
        label = _("Numbered instructions")
        template = "blocks/numbered_instructions_block.html"
        description = _("Step-by-step instructions, each with text and an optional screenshot.")
        preview_value = {
            "title": "锁定办公终端",
            "steps": [
                {"text": "<p>离开座位前，同时按下 <b>Win</b> 键和 <b>L</b> 键。</p>"},
                {"text": "<p>确认屏幕显示登录界面后再离开。</p>"},
            ],
        }


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("tip", _("Tip")), ("note", _("Note")), ("warning", _("Warning"))],
        default="note",
    )
    title = blocks.CharBlock(label=_("Title"), max_length=120, required=False)
    body = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "warning"
        label = _("Tip, note or warning")
        template = "blocks/callout_block.html"
        description = _("A highlighted box: a tip, a note or a warning.")
        preview_value = {"kind": "warning", "title": "注意", "body": "<p>涉密信息严禁在连接互联网的计算机上处理。</p>"}


class VideoBlock(blocks.StructBlock):
    """A video file served by the city (no third-party players, so the CSP stays strict)."""

    title = blocks.CharBlock(label=_("Title"), max_length=120)
    url = blocks.URLBlock(label=_("Video file URL"), help_text=_("An MP4 or WebM file on the city's media server."))
    transcript = blocks.TextBlock(label=_("Transcript"), required=False)
    # Counts towards the step's minimum study time (studytime); a video without it adds nothing.
    duration = blocks.IntegerBlock(
        label=_("Length (seconds)"),
        min_value=0,
        max_value=6 * 60 * 60,
        required=False,
        help_text=_("How long the video plays, in seconds. It counts towards the step's minimum study time."),
    )

    class Meta:
        icon = "media"
        label = _("Video")
        template = "blocks/video_block.html"
        description = _("A video with an optional transcript.")
        preview_value = {
            "title": "政务外网接入演示",
            "url": "https://example.org/video.mp4",
            "transcript": "……",
            "duration": 180,
        }


class DocumentDownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), max_length=120, required=False)
    description = blocks.TextBlock(label=_("Description"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        template = "blocks/document_download_block.html"
        description = _("A checklist, template or handout to download.")
        preview_value = {"title": "办公终端安全检查清单", "description": "打印后逐项核对。"}


class KeyTermBlock(blocks.StructBlock):
    term = blocks.CharBlock(label=_("Term"), max_length=80)
    definition = blocks.TextBlock(label=_("Definition"))

    class Meta:
        # Named, as InstructionStepBlock is: the editor heads each item of the list with its
        # block's label, and an unnamed one is an empty heading for screen readers.
        icon = "doc-full-inverse"
        label = _("Key term")


class KeyTermsBlock(blocks.StructBlock):
    terms = blocks.ListBlock(KeyTermBlock(), label=_("Terms"), min_num=1)

    class Meta:
        icon = "doc-full-inverse"
        label = _("Key terms")
        template = "blocks/key_terms_block.html"
        description = _("A short glossary of the terms introduced in this step.")
        preview_value = {"terms": [{"term": "G2G", "definition": "政府与政府之间的电子政务。"}]}


class CommandBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"), choices=[("shortcut", _("Keyboard shortcut")), ("command", _("Command"))], default="shortcut"
    )
    text = blocks.CharBlock(
        label=_("Keys or command"),
        max_length=200,
        help_text=_("For shortcuts, separate keys with +, e.g. Ctrl+Alt+Del."),
    )
    description = blocks.CharBlock(label=_("What it does"), max_length=250, required=False)

    class Meta:
        icon = "code"
        label = _("Keyboard shortcut or command")
        template = "blocks/command_block.html"
        description = _("A keyboard shortcut or a command to type, shown so it can be copied exactly.")
        preview_value = {"kind": "shortcut", "text": "Win+L", "description": "立即锁定屏幕"}


class LessonStreamBlock(blocks.StreamBlock):
    rich_text = RichTextBlock()
    heading = HeadingBlock()
    image = CaptionedImageBlock()
    instructions = NumberedInstructionsBlock()
    callout = CalloutBlock()
    video = VideoBlock()
    document = DocumentDownloadBlock()
    key_terms = KeyTermsBlock()
    command = CommandBlock()


# Parts of a block that are not read as text: choices, addresses, alternative text for screen
# readers, a transcript (the alternative to playing the video, whose length already counts).
NOT_READ = {"kind", "level", "url", "alt_text", "screenshot_alt", "transcript", "duration"}


def video_lengths(body) -> list[int]:
    """The length in seconds of each video of a lesson body, in order (0 when not given): the
    page's script numbers the videos the same way when it reports what played (studytime).
    Read from the stored JSON: converting the whole body would fetch its images on every page view."""
    return [(item.get("value") or {}).get("duration") or 0 for item in body.raw_data if item.get("type") == "video"]


def study_content(body) -> tuple[str, int]:
    """What a learner reads and plays in a lesson body: its text (HTML stripped) and the seconds
    of its videos. For the step's minimum study time (studytime.services.step_minimum_seconds)."""
    from django.utils.html import strip_tags
    from wagtail.rich_text import RichText

    texts: list[str] = []
    video_seconds = 0

    def walk(value):
        if isinstance(value, RichText):
            texts.append(strip_tags(value.source))
        elif isinstance(value, str):
            texts.append(value)
        elif isinstance(value, blocks.StructValue):
            for name, item in value.items():
                if name not in NOT_READ:
                    walk(item)
        elif isinstance(value, list | blocks.list_block.ListValue):
            for item in value:
                walk(item)

    for child in body:
        if child.block_type == "video":
            video_seconds += child.value.get("duration") or 0
        walk(child.value)
    return " ".join(texts), video_seconds
