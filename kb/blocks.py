"""The knowledge base's small block library. No raw-HTML block: editors write with these, and
rich text is limited to the features a librarian's article needs."""

from __future__ import annotations

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock

TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]
# Renditions for phones first (srcset in templates/kb/blocks/image.html); fetched with the
# images, so that a page with many images costs no query per image.
RENDITIONS = ("width-480", "width-800", "width-1200")


class PhoneImageChooserBlock(ImageChooserBlock):
    def bulk_to_python(self, values):
        values = list(values)
        images = (
            get_image_model()
            .objects.prefetch_renditions(*RENDITIONS)
            .in_bulk([v for v in values if v is not None])
        )
        return [images.get(v) for v in values]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=120)

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "kb/blocks/heading.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["anchor"] = slugify(value["text"]) or "bagian"
        return context


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=TEXT_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = "kb/blocks/paragraph.html"


class ImageWithCaptionBlock(blocks.StructBlock):
    image = PhoneImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=200,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "kb/blocks/image.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("tip", _("Tip")), ("warning", _("Warning"))],
        default="tip",
    )
    text = blocks.RichTextBlock(label=_("Text"), features=TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Tip or warning")
        template = "kb/blocks/callout.html"


class StepsBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(
            blocks.RichTextBlock(label=_("Step"), features=["bold", "italic", "link"]), **kwargs
        )

    class Meta:
        icon = "list-ol"
        label = _("Numbered steps")
        template = "kb/blocks/steps.html"


class ChecklistBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(blocks.CharBlock(label=_("Item"), max_length=250), **kwargs)

    class Meta:
        icon = "tasks"
        label = _("Checklist")
        template = "kb/blocks/checklist.html"


class TableBlock(TypedTableBlock):
    def __init__(self, **kwargs):
        super().__init__(
            [
                ("text", blocks.CharBlock(label=_("Text"))),
                ("number", blocks.DecimalBlock(label=_("Number"))),
            ],
            **kwargs,
        )

    class Meta:
        icon = "table"
        label = _("Table")
        template = "kb/blocks/table.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), required=False, max_length=150)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "kb/blocks/document.html"


ARTICLE_BLOCKS = [
    ("heading", HeadingBlock()),
    ("paragraph", ParagraphBlock()),
    ("image", ImageWithCaptionBlock()),
    ("callout", CalloutBlock()),
    ("steps", StepsBlock()),
    ("checklist", ChecklistBlock()),
    ("table", TableBlock()),
    ("document", DocumentBlock()),
]


# --- Internship reports ---------------------------------------------------------------------


class PhotoBlock(blocks.StructBlock):
    image = PhoneImageChooserBlock(label=_("Photo"))
    alt = blocks.CharBlock(label=_("Alternative text"), max_length=200)

    class Meta:
        icon = "image"
        label = _("Photo")


class PracticeBlock(blocks.StructBlock):
    """A practice observed at the host library."""

    title = blocks.CharBlock(label=_("Practice"), max_length=150)
    description = blocks.TextBlock(label=_("What they do"))
    why_it_works = blocks.TextBlock(label=_("Why it works"))
    photos = blocks.ListBlock(PhotoBlock(), label=_("Photos"), min_num=0, max_num=6)
    resources_and_cost = blocks.TextBlock(label=_("Resources and cost"), required=False)
    prerequisites = blocks.TextBlock(label=_("Prerequisites"), required=False)

    class Meta:
        icon = "pick"
        label = _("Practice observed")
        template = "kb/blocks/practice.html"


class AdaptationStepBlock(blocks.StructBlock):
    """One action of the plan to bring a practice home."""

    action = blocks.CharBlock(label=_("Action"), max_length=250)
    person_responsible = blocks.CharBlock(label=_("Person responsible"), max_length=150)
    timeline = blocks.CharBlock(label=_("Timeline"), max_length=150)
    resources = blocks.CharBlock(label=_("Resources"), max_length=250, required=False)
    success_indicator = blocks.CharBlock(label=_("Success indicator"), max_length=250)

    class Meta:
        icon = "date"
        label = _("Plan step")


class ContactBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Name"), max_length=150)
    role = blocks.CharBlock(label=_("Role"), max_length=150, required=False)
    email = blocks.EmailBlock(label=_("Email"), required=False)
    phone = blocks.CharBlock(label=_("Phone"), max_length=40, required=False)

    class Meta:
        icon = "user"
        label = _("Contact")
