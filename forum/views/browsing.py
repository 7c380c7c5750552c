"""Reading the forum: home, lists, a topic, a post's history, attachments."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from accounts import roles
from accounts.models import User
from forum import permissions, selectors, services
from forum.forms import ReplyForm
from forum.models import Topic
from forum.selectors import TopicFilter, TopicSort
from forum.views.uploads import Uploads

FILTER_CHOICES = [
    (TopicFilter.ALL, _("All questions")),
    (TopicFilter.UNSOLVED, _("Unsolved")),
    (TopicFilter.SOLVED, _("Solved")),
    (TopicFilter.UNANSWERED, _("No replies yet")),
]
SORT_CHOICES = [
    (TopicSort.ACTIVITY, _("Latest activity")),
    (TopicSort.NEWEST, _("Newest")),
    (TopicSort.HELPFUL, _("Most helpful")),
]


LIST_CHOICES = {"filter_choices": FILTER_CHOICES, "sort_choices": SORT_CHOICES}


def _int(value: str | None, default: int = 1) -> int:
    try:
        return max(1, int(value or default))
    except ValueError:
        return default


def _list_options(request: HttpRequest) -> dict:
    filter_ = request.GET.get("filter", TopicFilter.ALL)
    sort = request.GET.get("sort", TopicSort.ACTIVITY)
    return {
        "filter": filter_ if filter_ in TopicFilter.CHOICES else TopicFilter.ALL,
        "sort": sort if sort in TopicSort.CHOICES else TopicSort.ACTIVITY,
        "page": _int(request.GET.get("page")),
    }


@require_safe
def forum_home_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "forum/home.html",
        {
            "categories": selectors.forum_home(user=request.user),
            "latest": selectors.latest_topics(user=request.user),
            "can_ask": permissions.can_ask(request.user),
        },
    )


def _topic_list(request: HttpRequest, *, scope: dict, **context) -> HttpResponse:
    """One of the topic lists (a category's, a tag's, a member's): `scope` narrows the list
    (selectors.topic_list's category/tag/author) and is shown by the template."""
    options = _list_options(request)
    page = selectors.topic_list(user=request.user, **scope, **options)
    return render(
        request,
        "forum/topic_list.html",
        {**scope, **context, "page": page, "options": options, **LIST_CHOICES},
    )


@require_safe
def category_view(request: HttpRequest, slug: str) -> HttpResponse:
    category = selectors.category_for(slug=slug, user=request.user)
    return _topic_list(
        request,
        scope={"category": category},
        can_ask=permissions.can_ask(request.user, category),
        subscribed=request.user.is_authenticated
        and category.subscriptions.filter(user=request.user).exists(),
    )


@require_safe
def tag_view(request: HttpRequest, slug: str) -> HttpResponse:
    tag = selectors.tag_for(slug=slug, user=request.user)
    return _topic_list(
        request,
        scope={"tag": tag},
        can_ask=permissions.can_ask(request.user),
        subscribed=request.user.is_authenticated
        and request.user.tag_subscriptions.filter(tag=tag).exists(),
    )


@require_safe
def member_topics_view(request: HttpRequest, username: str) -> HttpResponse:
    member = get_object_or_404(User, username=username, is_active=True)
    return _topic_list(request, scope={"author": member}, member=member)


@require_safe
def tag_suggestions_view(request: HttpRequest) -> JsonResponse:
    prefix = request.GET.get("q", "")
    return JsonResponse({"tags": selectors.tag_suggestions(prefix=prefix, user=request.user)})


def with_readers_permissions(user, topic: Topic, posts) -> None:
    """What this reader may do with each post, for its buttons (forum.permissions decides)."""
    can_mark = permissions.can_mark_solution(user, topic)
    for post in posts:
        post.can_see = permissions.can_see_post_content(user, post)
        post.can_edit = permissions.can_edit_post(user, post)
        post.can_delete = permissions.can_delete_post(user, post)
        post.can_vote = permissions.can_vote(user, post)
        post.can_flag = permissions.can_flag(user, post)
        post.can_mark = can_mark and permissions.can_be_solution(post)


def topic_context(
    request: HttpRequest,
    topic: Topic,
    *,
    page: int,
    reply_form: ReplyForm | None = None,
    uploads: Uploads | None = None,
    preview: str = "",
) -> dict:
    """Everything the topic page shows; also used to show a failed reply in place."""
    user = request.user
    pages = selectors.reply_pages(topic)
    page = min(page, pages)
    posts = selectors.topic_posts(topic=topic, user=user, page=page)
    with_readers_permissions(user, topic, posts)
    question = posts[0] if posts and posts[0].is_question else None
    replies = [p for p in posts if not p.is_question]
    can_reply = permissions.can_reply(user, topic)
    read_up_to = getattr(topic, "reader_read_up_to", None)
    unread = None
    if read_up_to is not None and read_up_to < topic.last_position:
        unread = {"page": selectors.page_of_position(read_up_to + 1), "position": read_up_to + 1}
    return {
        "topic": topic,
        "question": question,
        "replies": replies,
        "page": page,
        "pages": pages,
        "page_range": range(1, pages + 1),
        "tags": list(topic.tags.all()),
        "can_reply": can_reply,
        "can_moderate": permissions.can_moderate(user),
        # Moderators and editors may start a knowledge-base article from a solved topic.
        "can_document": permissions.can_moderate(user) or roles.has_role(user, roles.EDITORS),
        "can_subscribe": permissions.can_subscribe(user),
        "subscribed": bool(getattr(topic, "reader_subscribed", False)),
        "unread": unread,
        "reply_form": reply_form or (ReplyForm() if can_reply else None),
        "uploads": uploads or Uploads(),
        "preview": preview,
        "last_on_page": posts[-1].position if posts else 0,
    }


VISITOR_PAGE_SECONDS = 10 * 60


def _visitor_page_key(request: HttpRequest, pk: int) -> str | None:
    """Where a visitor's rendering of this page is kept: a page looks the same to every
    visitor until the topic's next event (or its category's next edit), which changes the key.
    None when the request is not a plain visitor's (signed in, or with a message to show)."""
    if request.user.is_authenticated or request.COOKIES.get("messages"):
        return None
    version = selectors.visitor_page_version(topic_id=pk)
    if version is None:
        return None
    address = hashlib.blake2b(
        f"{request.get_host()}{request.get_full_path()}".encode(), digest_size=12
    ).hexdigest()
    return f"forum:visitor-page:{pk}:{version[0]}:{version[1]}:{get_language()}:{address}"


@require_safe
def topic_view(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    key = _visitor_page_key(request, pk)
    if key is not None:
        cached = cache.get(key)
        if cached is not None:
            services.topic_count_view(topic=Topic(pk=pk))
            return HttpResponse(cached)
    response = _topic_page(request, pk, slug)
    if key is not None and response.status_code == 200:
        cache.set(key, response.content, VISITOR_PAGE_SECONDS)
    return response


def _topic_page(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    topic = selectors.topic_page(topic_id=pk, user=request.user)
    if topic.merged_into_id:
        # Leads on only where the reader may follow: the address would name the target.
        target = selectors.topic_page(topic_id=topic.merged_into_id, user=request.user)
        return redirect(target, permanent=True)
    page = _int(request.GET.get("page"))
    if slug != topic.slug:
        url = topic.get_absolute_url()
        return redirect(f"{url}?page={page}" if page > 1 else url, permanent=True)
    context = topic_context(request, topic, page=page)
    if request.user.is_authenticated:
        services.topic_mark_read(
            user=request.user,
            topic=topic,
            position=context["last_on_page"],
            known_position=getattr(topic, "reader_read_up_to", None),
        )
        if getattr(topic, "reader_unread", False):
            services.notifications_mark_read_for_topic(user=request.user, topic=topic)
    services.topic_count_view(topic=topic)
    return render(request, "forum/topic.html", context)


@require_safe
def post_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A post's permanent address: the right page of its topic, at the post."""
    post = selectors.post_for(pk=pk, user=request.user)
    topic = post.topic
    page = selectors.page_of_position(post.position)
    query = f"?page={page}" if page > 1 else ""
    return redirect(f"{topic.get_absolute_url()}{query}#post-{post.position}")


@require_safe
def post_controls_view(request: HttpRequest, pk: int) -> HttpResponse:
    """This reader's buttons for one post (a footer), for a post that reached the page live:
    what was broadcast carries nobody's buttons."""
    post = selectors.post_for_reader(pk=pk, user=request.user)
    topic = post.topic
    with_readers_permissions(request.user, topic, [post])
    context = {
        "post": post,
        "topic": topic,
        "can_reply": permissions.can_reply(request.user, topic),
        "can_moderate": permissions.can_moderate(request.user),
        "reply_url": reverse("forum:reply", args=[topic.pk]),
        "confirm_delete": _("Delete this post?"),
    }
    response = render(request, "forum/includes/post_controls.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def post_history_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for(pk=pk, user=request.user)
    if not permissions.can_see_post_content(request.user, post):
        permissions.check_can_moderate(user=request.user)
    return render(
        request,
        "forum/post_history.html",
        {"post": post, "topic": post.topic, "revisions": selectors.post_revisions(post=post)},
    )


@require_safe
def attachment_view(request: HttpRequest, pk: int, filename: str) -> HttpResponse:
    attachment = selectors.attachment_for(pk=pk, user=request.user)
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    inline = attachment.kind == attachment.Kind.IMAGE
    response["Content-Disposition"] = content_disposition_header(not inline, attachment.filename)
    response["Content-Length"] = attachment.size
    # A document is never rendered by the browser as a page of ours.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    post = attachment.post
    public = (
        post is not None
        and post.is_visible
        and post.topic.is_visible
        and not post.topic.category.members_only
    )
    # What not everyone may see must not be kept by a shared cache (a school's proxy).
    response["Cache-Control"] = "public, max-age=86400" if public else "private, no-store"
    return response
