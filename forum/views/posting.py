"""Asking, replying, editing, deleting, and the Markdown preview."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config.ids import parse_id
from forum import permissions, rendering, selectors, services
from forum.forms import AskForm, EditForm, ReplyForm
from forum.ratelimits import RateLimited
from forum.services.posting import MAX_ATTACHMENTS
from forum.views.browsing import topic_context
from forum.views.uploads import Uploads, ids_from, take_uploads
from search import items
from search import service as search_service


def _preview(request: HttpRequest) -> str:
    return rendering.render_markdown(request.POST.get("body", "")).html


def _failed(form, error: ValidationError | RateLimited) -> None:
    for message in getattr(error, "messages", [str(error)]):
        form.add_error(None, message)


@login_required
@require_http_methods(["GET", "POST"])
def ask_view(request: HttpRequest) -> HttpResponse:
    permissions.check_can_ask(user=request.user)
    categories = selectors.visible_categories(user=request.user)
    initial = {
        "category": categories.filter(slug=request.GET.get("category")).first(),
        # From a search that found nothing: the question starts as what was searched.
        "title": " ".join(request.GET.get("title", "").split())[:200],
    }
    form = AskForm(
        request.POST or None, request.FILES or None, categories=categories, initial=initial
    )
    uploads, preview, status = Uploads(), "", 200
    if request.method == "POST":
        valid = form.is_valid()
        uploads = take_uploads(request, request.FILES.getlist("files")[:MAX_ATTACHMENTS])
        if "preview" in request.POST:
            preview = _preview(request)
        elif valid and not uploads.errors:
            try:
                topic = services.topic_create(
                    author=request.user,
                    category=form.cleaned_data["category"],
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    tags=form.cleaned_data["tags"],
                    attachment_ids=uploads.ids,
                    submission_key=form.cleaned_data["submission_key"],
                )
            except (ValidationError, RateLimited) as error:
                _failed(form, error)
                status = 429 if isinstance(error, RateLimited) else 400
            else:
                messages.success(
                    request, _("Your question is posted. Colleagues will be notified.")
                )
                return redirect(topic)
        else:
            status = 400
    return render(
        request,
        "forum/ask.html",
        {"form": form, "uploads": uploads, "preview": preview, "similar": _similar(request)},
        status=status,
    )


def _similar(request: HttpRequest) -> list[dict]:
    """Without script, the questions and articles like the one being asked are shown when the
    form comes back (a preview, a correction): the answer may already be there."""
    if request.method != "POST":
        return []
    text = f"{request.POST.get('title', '')} {request.POST.get('body', '')}"
    return items.listed(search_service.similar(text=text, user=request.user))


@login_required
@require_http_methods(["GET", "POST"])
def reply_view(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_page(topic_id=pk, user=request.user)
    permissions.check_can_reply(user=request.user, topic=topic)
    if request.method == "GET":
        # Without script, "Quote" leads here: the reply form, starting with the quoted post.
        form = ReplyForm(initial={"body": _quoted(request)})
        return render(
            request, "forum/reply.html", {"topic": topic, "form": form, "uploads": Uploads()}
        )
    form = ReplyForm(request.POST, request.FILES)
    valid = form.is_valid()
    uploads = take_uploads(request, request.FILES.getlist("files")[:MAX_ATTACHMENTS])
    preview, status = "", 400
    if "preview" in request.POST:
        preview, status = _preview(request), 200
    elif valid and not uploads.errors:
        try:
            post = services.reply_create(
                author=request.user,
                topic=topic,
                body=form.cleaned_data["body"],
                attachment_ids=uploads.ids,
                submission_key=form.cleaned_data["submission_key"],
            )
        except (ValidationError, RateLimited) as error:
            _failed(form, error)
            status = 429 if isinstance(error, RateLimited) else 400
        else:
            return redirect(post)
    context = topic_context(
        request,
        topic,
        page=selectors.reply_pages(topic),
        reply_form=form,
        uploads=uploads,
        preview=preview,
    )
    return render(request, "forum/topic.html", context, status=status)


def _quoted(request: HttpRequest) -> str:
    """The start of a reply that quotes ?quote=<post id>. A post that is gone, hidden or not
    the reader's to see starts an empty reply, with a word about it: never a missing page."""
    if "quote" not in request.GET:
        return ""
    post = selectors.quotable_post(pk=parse_id(request.GET["quote"]), user=request.user)
    if post is None:
        messages.info(request, _("The post you wanted to quote is no longer there."))
        return ""
    quoted = "\n".join(f"> {line}" for line in post.source.splitlines())
    return _("@%(username)s wrote:") % {"username": post.author.username} + f"\n{quoted}\n\n"


@login_required
@require_http_methods(["GET", "POST"])
def post_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for(pk=pk, user=request.user)
    permissions.check_can_edit_post(user=request.user, post=post)
    topic = post.topic
    initial = {"body": post.source}
    if post.is_question:
        initial.update(title=topic.title, tags=", ".join(t.name for t in topic.tags.all()))
    form = EditForm(
        request.POST or None, request.FILES or None, is_question=post.is_question, initial=initial
    )
    uploads, preview, status = Uploads(), "", 200
    if request.method == "POST":
        valid = form.is_valid()
        uploads = take_uploads(request, request.FILES.getlist("files")[:MAX_ATTACHMENTS])
        if "preview" in request.POST:
            preview = _preview(request)
        elif valid and not uploads.errors:
            try:
                services.post_edit(
                    post=post,
                    editor=request.user,
                    body=form.cleaned_data["body"],
                    title=form.cleaned_data.get("title"),
                    tags=form.cleaned_data.get("tags"),
                    attachment_ids=uploads.ids,
                    remove_attachment_ids=ids_from(request.POST.getlist("remove_attachment")),
                )
            except ValidationError as error:
                _failed(form, error)
                status = 400
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(post)
        else:
            status = 400
    return render(
        request,
        "forum/edit.html",
        {
            "form": form,
            "post": post,
            "topic": topic,
            "uploads": uploads,
            "preview": preview,
            "attached": list(post.attachments.all()),
        },
        status=status,
    )


@login_required
@require_POST
def post_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for(pk=pk, user=request.user)
    services.post_delete(post=post, by=request.user)
    messages.success(request, _("Your post is deleted."))
    return redirect(post.topic if post.topic.is_visible else "forum:home")


@login_required
@require_POST
def preview_view(request: HttpRequest) -> HttpResponse:
    """The same rendering as a saved post (forum.rendering), for the editor's preview."""
    body = request.POST.get("body", "")[:60_000]
    return render(
        request, "forum/includes/preview.html", {"preview": rendering.render_markdown(body).html}
    )
