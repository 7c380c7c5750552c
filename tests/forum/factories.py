"""Forum data for tests, made the way members make it: through forum.services, so that every
topic has its question post, its counters, its category's counts and its asker's subscription.

Authors joined a month ago: accounts younger than a day have stricter posting limits
(forum.ratelimits), which only the tests about those limits should meet (`create_newcomer`).
"""

from __future__ import annotations

import io
from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts import roles
from accounts.models import User
from forum import services
from forum.models import Attachment, Category, Post, Topic
from tests.factories import UserFactory

ESTABLISHED = timedelta(days=30)
NEW_ACCOUNT = timedelta(hours=3)
PUBLIC_CATEGORY = "layanan-pemustaka"  # created by forum's data migration, like the other five


def create_member(**kwargs) -> User:
    """A librarian who joined a month ago."""
    kwargs.setdefault("date_joined", timezone.now() - ESTABLISHED)
    return UserFactory(librarian=True, **kwargs)


def create_newcomer(**kwargs) -> User:
    """A librarian who joined a few hours ago: the stricter limits of new accounts apply."""
    return create_member(date_joined=timezone.now() - NEW_ACCOUNT, **kwargs)


def create_moderator(**kwargs) -> User:
    return create_member(role=roles.MODERATORS, **kwargs)


def competency_area(slug: str = PUBLIC_CATEGORY) -> Category:
    """One of the six competency areas of the data migration."""
    return Category.objects.get(slug=slug)


class MembersOnlyCategoryFactory(factory.django.DjangoModelFactory):
    """The only kind of category tests create: the migration's six are all public."""

    class Meta:
        model = Category

    slug = factory.Sequence(lambda n: f"ruang-anggota-{n}")
    name = factory.Sequence(lambda n: f"Ruang Anggota {n}")
    name_en = factory.Sequence(lambda n: f"Members' Room {n}")
    colour = Category.Colour.GREY
    position = 90
    members_only = True


class TopicFactory(factory.Factory):
    """A question asked through forum.services.topic_create. `replies=n` adds n answers, each
    by another member."""

    class Meta:
        model = Topic

    author = factory.LazyFunction(create_member)
    category = factory.LazyFunction(competency_area)
    title = factory.Sequence(lambda n: f"Pemustaka selalu terlambat mengembalikan buku ({n})")
    body = factory.Sequence(
        lambda n: f"Seorang pemustaka sudah tiga kali terlambat. Bagaimana sikap yang tepat? #{n}"
    )
    tags: tuple[str, ...] = ()
    attachment_ids: tuple[int, ...] = ()

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("a topic exists only with its question post: use create()")

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> Topic:
        return services.topic_create(**kwargs)

    @factory.post_generation
    def replies(topic, create, extracted, **kwargs):
        if create and extracted:
            ReplyFactory.create_batch(extracted, topic=topic, **kwargs)
            topic.refresh_from_db()


class ReplyFactory(factory.Factory):
    """An answer posted through forum.services.reply_create, by another member by default."""

    class Meta:
        model = Post

    topic = factory.SubFactory(TopicFactory)
    author = factory.LazyFunction(create_member)
    body = factory.Sequence(lambda n: f"Jawaban {n}: ajak bicara baik-baik, lalu catat.")
    attachment_ids: tuple[int, ...] = ()

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("use create(): a reply takes a position in its topic")

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> Post:
        return services.reply_create(**kwargs)


def question_of(topic: Topic) -> Post:
    return topic.posts.get(position=1)


# --- Files ------------------------------------------------------------------------------------


def png_bytes(size: tuple[int, int] = (40, 30), colour: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def pdf_bytes() -> bytes:
    """A valid one-page PDF, its cross-reference table pointing at each object's offset."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    pdf = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    return pdf + b"startxref\n%d\n%%%%EOF\n" % xref


def png_file(name: str = "layar-slims.png", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(**kwargs), content_type="image/png")


def pdf_file(name: str = "tata-tertib.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def exe_file(name: str = "pemasang.exe") -> SimpleUploadedFile:
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
    return SimpleUploadedFile(name, program, content_type="application/octet-stream")


def attachment(*, uploader: User, file=None) -> Attachment:
    """An upload not yet attached to a post (pass its id to TopicFactory or ReplyFactory)."""
    return services.attachment_upload(uploader=uploader, file=file or png_file())
