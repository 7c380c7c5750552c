"""The knowledge base's writes outside the Wagtail admin: librarians' submissions, feedback,
and articles promoted from solved forum topics. Publishing stays with editors, in the admin."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page
from wagtail.rich_text import RichText

from accounts.models import Library, User
from forum import rendering
from forum.models import Category, Topic
from forum.uploads import UploadRejected, process_upload
from kb import permissions, search
from kb.models import ArticleIndexPage, ArticlePage, Feedback, ReportIndexPage, ReportPage
from search import indexing

SUBMISSIONS_COLLECTION = "Kiriman pustakawan"


@dataclass
class ReportData:
    """What the guided form collects; photos and documents are already stored (Wagtail images
    and documents, see image_from_upload / document_from_upload)."""

    title: str
    host_library: Library
    start_date: datetime.date
    end_date: datetime.date
    areas: list[Category]
    summary: str
    objectives: str
    practices: list[dict]
    scheme: str = ""
    tags: list[str] = field(default_factory=list)
    participants: list[User] = field(default_factory=list)
    adaptation_plan: list[dict] = field(default_factory=list)
    lessons_learned: str = ""
    contacts: list[dict] = field(default_factory=list)
    attachments: list = field(default_factory=list)
    follow_up_status: str = ReportPage.FollowUp.PLANNED
    follow_up_date: datetime.date | None = None


def _apply(page: ReportPage, data: ReportData, *, author: User) -> None:
    page.title = page.draft_title = data.title
    page.host_library = data.host_library
    page.start_date, page.end_date = data.start_date, data.end_date
    page.scheme = data.scheme
    page.summary, page.objectives = data.summary, data.objectives
    page.lessons_learned = data.lessons_learned
    page.follow_up_status, page.follow_up_date = data.follow_up_status, data.follow_up_date
    page.practices = [("practice", practice) for practice in data.practices]
    page.adaptation_plan = [("step", step) for step in data.adaptation_plan]
    page.contacts = [("contact", contact) for contact in data.contacts]
    page.attachments = [("document", {"document": d, "title": ""}) for d in data.attachments]
    page.areas = data.areas
    page.participants = list(dict.fromkeys([author, *data.participants]))
    page.tags.set(data.tags)


def _submissions_collection() -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=SUBMISSIONS_COLLECTION).first()
    return existing or root.add_child(name=SUBMISSIONS_COLLECTION)


def image_from_upload(*, uploader: User, file) -> object:
    """A librarian's photo, made safe like a forum attachment (EXIF and location stripped,
    resized), stored as a Wagtail image. Raises UploadRejected with a translated message."""
    processed = process_upload(file, name=getattr(file, "name", None))
    if processed.kind != "image":
        raise UploadRejected(
            _("This is not a photo: use JPEG, PNG, WebP or GIF."), code="not_image"
        )
    image = get_image_model()(
        title=processed.filename.rsplit(".", 1)[0][:255],
        # A random file name: a draft's photo must not be found by guessing its address.
        file=ContentFile(processed.content, name=secrets.token_urlsafe(16) + processed.extension),
        width=processed.width,
        height=processed.height,
        file_size=processed.size,
        uploaded_by_user=uploader,
        collection=_submissions_collection(),
    )
    image.save()
    return image


def document_from_upload(*, uploader: User, file) -> object:
    """A document attached to a report, checked like a forum attachment, stored as a Wagtail
    document (served through Django, with its privacy checked)."""
    processed = process_upload(file, name=getattr(file, "name", None))
    if processed.kind != "document":
        raise UploadRejected(
            _("Attach photos to a practice; here, documents only."), code="not_document"
        )
    document = get_document_model()(
        title=processed.filename.rsplit(".", 1)[0][:255],
        file=ContentFile(processed.content, name=processed.filename),
        file_size=processed.size,
        uploaded_by_user=uploader,
        collection=_submissions_collection(),
    )
    document.save()
    return document


def report_state(page: ReportPage) -> tuple[str, object | None]:
    """Where a submission stands: draft, in_review, needs_changes or published, with the
    workflow state when there is one."""
    state = page.current_workflow_state
    if state is not None:
        return (
            "needs_changes" if state.status == state.STATUS_NEEDS_CHANGES else "in_review"
        ), state
    return ("published" if page.live else "draft"), None


@transaction.atomic
def report_save_draft(
    *, author: User, data: ReportData, page: ReportPage | None = None
) -> ReportPage:
    """Save a librarian's internship report as a draft they own (a new page under the reports
    index, or a new revision of their draft). Nothing is published."""
    if data.end_date < data.start_date:
        raise ValidationError(_("The internship cannot end before it starts."), code="dates")
    if page is None:
        permissions.check_can_submit(user=author)
        index = ReportIndexPage.objects.get()
        page = ReportPage(owner=author, live=False)
        _apply(page, data, author=author)
        page.slug = find_available_slug(index, _slug(data.title))
        index.add_child(instance=page)
    else:
        status, _state = report_state(page)
        permissions.check_can_edit_submission(
            user=author, page=page, needs_changes=status == "needs_changes"
        )
        page = page.get_latest_revision_as_object()
        _apply(page, data, author=author)
    page.save_revision(user=author, log_action=True)
    return page


def _slug(title: str) -> str:
    return slugify(title)[:80] or "laporan"


@transaction.atomic
def report_submit(*, page: ReportPage, by: User) -> None:
    """Send a draft to the editors (the knowledge base's review workflow), or send a
    submission an editor returned back to them after changes."""
    status, state = report_state(page)
    permissions.check_can_edit_submission(
        user=by, page=page, needs_changes=status == "needs_changes"
    )
    if status == "needs_changes":
        state.resume(by)
    elif status == "draft":
        workflow = page.get_workflow()
        if workflow is None:  # an administrator removed the review workflow
            raise ValidationError(
                _(
                    "Submissions cannot be reviewed right now: ask an administrator to set up "
                    "the knowledge base's review workflow in the admin."
                ),
                code="no_workflow",
            )
        workflow.start(page, by)
    else:
        raise ValidationError(_("This submission is already with the editors."), code="in_review")


@transaction.atomic
def feedback_give(*, page: Page, user: User, helpful: bool, comment: str = "") -> Feedback:
    """Answer "Was this helpful?" (once per member and page; answering again changes it)."""
    permissions.check_can_give_feedback(user=user)
    if not isinstance(page, ArticlePage | ReportPage):
        raise ValidationError(_("Only articles and reports take feedback."), code="not_content")
    if not page.live:
        raise ValidationError(_("Only published pages take feedback."), code="not_live")
    feedback, _created = Feedback.objects.update_or_create(
        page=page,
        user=user,
        defaults={"helpful": helpful, "comment": comment[:1000], "updated_at": timezone.now()},
    )
    indexing.record(f"{search.PREFIX}:{page.pk}")  # readers who found it helpful: a boost
    return feedback


@transaction.atomic
def article_draft_from_topic(*, topic: Topic, by: User) -> ArticlePage:
    """Start a best-practice article from a solved forum topic: a draft with the question and
    the accepted answer, linked to the topic (which shows the article once it is published).
    Promoting the same topic again returns its article."""
    permissions.check_can_promote(user=by)
    existing = ArticlePage.objects.filter(source_topics=topic).first()
    if existing:
        return existing
    if topic.solution_id is None:
        raise ValidationError(_("Only a solved topic can become an article."), code="unsolved")
    question = topic.posts.get(position=1)
    answer = topic.solution
    if not (question.is_visible and answer.is_visible):
        # Taken back by its author or hidden by a moderator: not to be copied anywhere.
        raise ValidationError(
            _("The question or its answer is no longer shown: it cannot become an article."),
            code="not_visible",
        )
    with translation.override(settings.LANGUAGE_CODE):  # the content's language, not the UI's
        headings = (_("The question"), _("The answer that solved it"))
    page = ArticlePage(
        title=topic.title,
        summary=rendering.excerpt(rendering.render_markdown(question.source).text, length=300),
        owner=by,
        live=False,
        body=[
            ("heading", {"text": headings[0]}),
            ("paragraph", RichText(question.html)),
            ("heading", {"text": headings[1]}),
            ("paragraph", RichText(answer.html)),
        ],
    )
    page.areas = [topic.category]
    page.source_topics = [topic]
    page.tags.set([tag.name for tag in topic.tags.all()])
    index = ArticleIndexPage.objects.get()
    page.slug = find_available_slug(index, _slug(topic.title))
    index.add_child(instance=page)
    page.save_revision(user=by, log_action=True)
    return page
