"""Moderators' tools: acting on topics and posts, the flag queue, the moderation log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from forum import permissions, selectors, services
from forum.forms import MergeForm, MoveForm, ReasonForm


@login_required
@require_http_methods(["GET", "POST"])
def topic_moderate_view(request: HttpRequest, pk: int) -> HttpResponse:
    """pin/unpin, lock/unlock, move, merge: one form per action on one page."""
    permissions.check_can_moderate(user=request.user)
    topic = selectors.topic_page(topic_id=pk, user=request.user)
    action = request.POST.get("action", "")
    move_form = MoveForm(
        request.POST if action == "move" else None, initial={"category": topic.category}
    )
    merge_form = MergeForm(request.POST if action == "merge" else None)
    if request.method == "POST":
        if action in {"pin", "unpin"}:
            services.topic_set_pinned(topic=topic, by=request.user, pinned=action == "pin")
        elif action in {"lock", "unlock"}:
            services.topic_set_locked(topic=topic, by=request.user, locked=action == "lock")
        elif action == "move" and move_form.is_valid():
            services.topic_move(
                topic=topic, category=move_form.cleaned_data["category"], by=request.user
            )
        elif action == "merge" and merge_form.is_valid():
            try:
                topic = services.topic_merge(
                    source=topic, target=merge_form.cleaned_data["target"], by=request.user
                )
            except ValidationError as error:
                merge_form.add_error("target", error)
        if not (move_form.errors or merge_form.errors) and action:
            messages.success(request, _("Done. The moderation log records it."))
            return redirect(topic)
    status = 400 if move_form.errors or merge_form.errors else 200
    return render(
        request,
        "forum/moderate_topic.html",
        {"topic": topic, "move_form": move_form, "merge_form": merge_form},
        status=status,
    )


@login_required
@require_POST
def post_moderate_view(request: HttpRequest, pk: int) -> HttpResponse:
    """hide (with an optional reason shown to the author) or unhide a post."""
    permissions.check_can_moderate(user=request.user)
    post = selectors.post_for(pk=pk, user=request.user)
    if request.POST.get("action") == "unhide":
        services.post_unhide(post=post, by=request.user)
    else:
        form = ReasonForm(request.POST)
        if not form.is_valid():
            url = reverse("forum:post_moderate", args=[post.pk])
            return _reason_refused(request, post, form, action_url=url)
        services.post_hide(post=post, by=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("Done. The moderation log records it."))
    return redirect("forum:flags" if request.POST.get("next") == "flags" else post)


def _reason_refused(request: HttpRequest, post, form: ReasonForm, *, action_url: str, **extra):
    """A reason the author could not be shown (too long, a NUL): nothing is done, and the
    moderator gets the form back with what they typed and what is wrong with it."""
    context = {
        "post": post,
        "topic": post.topic,
        "form": form,
        "action_url": action_url,
        "next": request.POST.get("next", ""),
        **extra,
    }
    return render(request, "forum/moderate_post.html", context, status=400)


@login_required
@require_safe
def flag_queue_view(request: HttpRequest) -> HttpResponse:
    return render(request, "forum/flags.html", {"posts": selectors.flag_queue(user=request.user)})


@login_required
@require_POST
def flags_resolve_view(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.check_can_moderate(user=request.user)
    post = selectors.post_for(pk=pk, user=request.user)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        url = reverse("forum:flags_resolve", args=[post.pk])
        return _reason_refused(request, post, form, action_url=url, dismiss=True)
    services.flags_resolve(
        post=post,
        by=request.user,
        hide=request.POST.get("action") == "hide",
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, _("Done. The moderation log records it."))
    return redirect("forum:flags")


@login_required
@require_safe
def moderation_log_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "forum/moderation_log.html",
        {"entries": selectors.moderation_log(user=request.user)},
    )
