"""The knowledge base's reads."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import get_language
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from config.ids import parse_ids
from kb.models import ArticlePage, Feedback, ReportPage
from kb.services import report_state

RELATED_LIMIT = 4
RELATED_CACHE_SECONDS = 60 * 60


def submissions_of(*, user) -> list[dict]:
    """A member's reports and articles with where each stands, the newest first."""
    pages = []
    for model in (ReportPage, ArticlePage):
        # A few pages each; their workflow state is read one by one (Wagtail's
        # prefetch_workflow_states leaves out the states that need changes).
        pages += list(model.objects.filter(owner=user).order_by("-pk"))
    rows = []
    for page in sorted(
        pages, key=lambda p: p.latest_revision_created_at or p.first_published_at or 0, reverse=True
    ):
        status, state = report_state(page)
        comment = ""
        if status == "needs_changes" and state.current_task_state:
            comment = state.current_task_state.get_comment()
        rows.append(
            {
                "page": page,
                "status": status,
                "comment": comment,
                "is_report": isinstance(page, ReportPage),
            }
        )
    return rows


def own_images(*, user, ids) -> dict:
    ids = parse_ids(i for i in ids if i is not None)
    if not ids:
        return {}
    return get_image_model().objects.filter(pk__in=ids, uploaded_by_user=user).in_bulk()


def own_documents(*, user, ids) -> list:
    ids = parse_ids(ids)
    if not ids:
        return []
    documents = get_document_model().objects.filter(pk__in=ids, uploaded_by_user=user).in_bulk()
    return [documents[i] for i in ids if i in documents]


def report_initial(*, page: ReportPage) -> dict:
    """The guided form's values from a submission's latest revision."""
    draft = page.get_latest_revision_as_object()
    practices = []
    for block in draft.practices:
        value = dict(block.value)
        row = {
            k: value.get(k, "")
            for k in ("title", "description", "why_it_works", "resources_and_cost", "prerequisites")
        }
        for slot, photo in enumerate(list(value.get("photos") or [])[:3], start=1):
            if photo["image"] is not None:
                row[f"photo_{slot}_id"] = photo["image"].pk
                row[f"photo_{slot}_alt"] = photo["alt"]
        practices.append(row)
    colleagues = [u.username for u in draft.participants.all() if u.pk != page.owner_id]
    return {
        "report": {
            "title": draft.title,
            "host_library": draft.host_library_id,
            "start_date": draft.start_date,
            "end_date": draft.end_date,
            "scheme": draft.scheme,
            "areas": [a.pk for a in draft.areas.all()],
            "tags": ", ".join(t.name for t in draft.tags.all()),
            "colleagues": ", ".join(colleagues),
            "summary": draft.summary,
            "objectives": draft.objectives,
            "lessons_learned": draft.lessons_learned,
            "follow_up_status": draft.follow_up_status,
            "follow_up_date": draft.follow_up_date,
        },
        "practices": practices,
        "plan": [dict(b.value) for b in draft.adaptation_plan],
        "contacts": [dict(b.value) for b in draft.contacts],
        "document_ids": [b.value["document"].pk for b in draft.attachments if b.value["document"]],
    }


def related_content(*, page: Page, user, tags: list) -> list[dict]:
    """Questions, articles and reports about what `page` is about, from the search engine
    (forum and knowledge base together), within what the reader may see. Kept an hour for each
    published version of the page, so a page view costs no search."""
    from search import items, service

    key = "kb:related:{}:{}:{}:{}".format(
        page.pk,
        page.last_published_at.timestamp() if page.last_published_at else 0,
        "member" if user.is_authenticated else "visitor",
        get_language(),
    )
    related = cache.get(key)
    if related is None:
        text = " ".join([page.title, getattr(page, "summary", ""), *(t.name for t in tags)])
        hits = service.similar(
            text=text, user=user, exclude=(f"page:{page.pk}",), limit=RELATED_LIMIT
        )
        related = items.listed(hits)
        cache.set(key, related, RELATED_CACHE_SECONDS)
    return related


def feedback_page(*, pk: int) -> Page:
    """A published page that takes "Was this helpful?": an article or a report, nothing else
    (not the knowledge base's home nor its index pages)."""
    page = Page.objects.live().type(ArticlePage, ReportPage).filter(pk=pk).specific().first()
    if page is None:
        raise Http404
    return page


def feedback_for(*, page: Page, user) -> dict:
    """The reader's own answer, and (for editors) the counts and comments."""
    from kb import permissions

    own = Feedback.objects.filter(page=page, user=user).first() if user.is_authenticated else None
    summary = None
    if permissions.can_see_feedback(user):
        rows = list(
            Feedback.objects.filter(page=page).select_related("user").order_by("-updated_at")
        )
        summary = {
            "yes": sum(1 for f in rows if f.helpful),
            "no": sum(1 for f in rows if not f.helpful),
            "comments": [f for f in rows if f.comment][:20],
        }
    return {"own": own, "summary": summary}


def latest(*, model, limit: int = 5):
    return list(model.objects.live().order_by("-first_published_at")[:limit])


def articles_by_area(*, index) -> list[tuple]:
    """Published articles grouped by competency area (an article of two areas is in both)."""
    from forum.models import Category

    articles = list(
        ArticlePage.objects.child_of(index).live().prefetch_related("areas").order_by("title")
    )
    groups = []
    for area in Category.objects.all():
        members = [a for a in articles if any(x.pk == area.pk for x in a.areas.all())]
        if members:
            groups.append((area, members))
    return groups


def is_used_by_live_page(obj) -> bool:
    """Whether a published page refers to an image or document (Wagtail's reference index)."""
    from wagtail.models import ReferenceIndex

    page_ids = (
        ReferenceIndex.get_references_to(obj)
        .filter(base_content_type__app_label="wagtailcore", base_content_type__model="page")
        .values_list("object_id", flat=True)
    )
    return Page.objects.filter(pk__in=[int(i) for i in page_ids], live=True).exists()


# --- For the development programme (programme/ reads these) -----------------------------------


def reports_published(*, start, end, category=None, library=None) -> list[dict]:
    """Internship reports first published in [start, end): how many per host library and
    competency area (a report of two areas counts in both). One query."""
    reports = ReportPage.objects.live().filter(
        first_published_at__gte=start, first_published_at__lt=end
    )
    if category is not None:
        reports = reports.filter(areas=category)
    if library is not None:
        reports = reports.filter(participants__library=library).distinct()
    return list(
        reports.values("host_library__name", "host_library__city", "areas__slug")
        .annotate(reports=Count("pk", distinct=True))
        .order_by("-reports", "host_library__name")
    )


def unhelpful_feedback(*, start, end, category=None, limit: int = 30) -> list[Feedback]:
    """Readers' answers "not helpful" given in [start, end), with their comments: which
    articles and reports fall short."""
    feedback = Feedback.objects.filter(helpful=False, updated_at__gte=start, updated_at__lt=end)
    pages = Page.objects.live().type(ArticlePage, ReportPage)
    if category is not None:
        pages = pages.filter(Q(articlepage__areas=category) | Q(reportpage__areas=category))
    return list(
        feedback.filter(page__in=pages).select_related("page").order_by("-updated_at")[:limit]
    )


def pages_published_by(*, member, start, end) -> list[Page]:
    """Articles and reports a member owns or took part in (reports' participants), first
    published in [start, end), the newest first: for their contribution record."""
    owned = Q(owner=member) | Q(reportpage__participants=member)
    return list(
        Page.objects.live()
        .type(ArticlePage, ReportPage)
        .filter(owned, first_published_at__gte=start, first_published_at__lt=end)
        .distinct()
        .specific()
        .order_by("-first_published_at")
    )
