"""A member's actions on posts and topics: helpful votes, solutions, following, flags.
Each is a POST that calls one service; with script the page updates in place (the view
answers JSON to `Accept: application/json`), without it the page reloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from forum import permissions, selectors, services
from forum.forms import FlagForm
from forum.ratelimits import RateLimited


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _back(request: HttpRequest, fallback) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


@login_required
@require_POST
def helpful_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for(pk=pk, user=request.user)
    voted = services.post_toggle_helpful(post=post, user=request.user)
    if _wants_json(request):
        post.refresh_from_db(fields=["helpful_count"])
        return JsonResponse({"voted": voted, "count": post.helpful_count})
    return _back(request, post)


@login_required
@require_POST
def solution_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a reply as the solution (action=mark) or take the mark back (action=unmark)."""
    post = selectors.post_for(pk=pk, user=request.user)
    topic = post.topic
    if request.POST.get("action") == "unmark":
        services.topic_unmark_solution(topic=topic, by=request.user)
        messages.success(
            request, _("The solution mark is taken back: the topic is unsolved again.")
        )
    else:
        services.topic_mark_solution(topic=topic, post=post, by=request.user)
        messages.success(request, _("Marked as the solution. Thank you for closing the loop!"))
    return redirect(post)


@login_required
@require_POST
def topic_subscribe_view(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_page(topic_id=pk, user=request.user)
    subscribed = request.POST.get("subscribed") == "1"
    services.topic_subscription_set(user=request.user, topic=topic, subscribed=subscribed)
    if _wants_json(request):
        return JsonResponse({"subscribed": subscribed})
    messages.success(
        request,
        _("You follow this topic.") if subscribed else _("You no longer follow this topic."),
    )
    return redirect(topic)


@login_required
@require_POST
def category_subscribe_view(request: HttpRequest, slug: str) -> HttpResponse:
    category = selectors.category_for(slug=slug, user=request.user)
    subscribed = request.POST.get("subscribed") == "1"
    services.category_subscription_set(user=request.user, category=category, subscribed=subscribed)
    messages.success(
        request,
        _("You will hear about new questions in this category.")
        if subscribed
        else _("You no longer follow this category."),
    )
    return redirect(category)


@login_required
@require_POST
def tag_subscribe_view(request: HttpRequest, slug: str) -> HttpResponse:
    tag = selectors.tag_for(slug=slug, user=request.user)
    subscribed = request.POST.get("subscribed") == "1"
    services.tag_subscription_set(user=request.user, tag=tag, subscribed=subscribed)
    messages.success(
        request,
        _("You will hear about new questions with this tag.")
        if subscribed
        else _("You no longer follow this tag."),
    )
    return redirect("forum:tag", slug=tag.slug)


@login_required
@require_http_methods(["GET", "POST"])
def flag_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for(pk=pk, user=request.user)
    permissions.check_can_flag(user=request.user, post=post)
    form = FlagForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.flag_create(post=post, by=request.user, **form.cleaned_data)
            except (ValidationError, RateLimited) as error:
                form.add_error(None, str(getattr(error, "message", error)))
                status = 429 if isinstance(error, RateLimited) else 400
            else:
                messages.success(request, _("Thank you. A moderator will look at this post."))
                return redirect(post)
        else:
            status = 400
    return render(request, "forum/flag.html", {"form": form, "post": post}, status=status)
