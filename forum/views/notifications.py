"""A member's notifications: the inbox, email settings, and one-click unsubscribe."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import User
from forum import emails, selectors, services
from forum.forms import NotificationSettingsForm
from forum.models import Notification, NotificationSettings


@login_required
@require_safe
def notifications_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "forum/notifications.html",
        {"notifications": selectors.notifications_inbox(user=request.user)},
    )


@login_required
@require_safe
def notifications_summary_view(request: HttpRequest) -> JsonResponse:
    """The badge's number and the newest notification, for a page told live that there are
    new ones (what is personal is fetched, never broadcast)."""
    latest = selectors.notifications_inbox(user=request.user, limit=1)
    newest = None
    if latest and latest[0].read_at is None:
        notification = latest[0]
        newest = {
            "kind": notification.kind,
            "text": render_to_string(
                "forum/includes/notification_text.html", {"notification": notification}
            ).strip(),
            "url": emails.notification_path(notification),
        }
    response = JsonResponse({"count": selectors.unread_count(user=request.user), "latest": newest})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def notifications_read_view(request: HttpRequest) -> HttpResponse:
    services.notification_mark_read(user=request.user)
    return redirect("forum:notifications")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings_view(request: HttpRequest) -> HttpResponse:
    current = NotificationSettings.objects.filter(user=request.user).first()
    form = NotificationSettingsForm(
        request.POST or None,
        instance=current or NotificationSettings(user=request.user),
        initial={"language": request.user.language},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.notification_settings_update(
            user=request.user, language=data.pop("language"), **data
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("forum:notification_settings")
    return render(
        request,
        "forum/notification_settings.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


# Mail programs post here without a session or CSRF token (RFC 8058 one-click); the signed
# token in the address is the authorisation, and it can only ever turn emails off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user_id, setting = emails.read_unsubscribe_token(token)
        user = User.objects.get(pk=user_id, is_active=True)
    except (signing.BadSignature, User.DoesNotExist, ValueError, KeyError):
        return render(request, "forum/unsubscribe.html", {"invalid": True}, status=400)
    known = set(Notification.SETTING_FOR_KIND.values()) | {emails.DIGEST}
    if setting not in known:
        return render(request, "forum/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        services.notification_email_stop(user=user, setting=setting)
        return render(request, "forum/unsubscribe.html", {"done": True, "setting": setting})
    return render(request, "forum/unsubscribe.html", {"setting": setting, "token": token})
