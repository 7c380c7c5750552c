from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts import permissions, selectors, services
from accounts.forms import ProfileForm
from config.discovery import app_modules


@require_safe
def profile_view(request: HttpRequest, username: str) -> HttpResponse:
    member = selectors.profile_page(username=username)
    # Other apps add their part (the forum: questions, answers, solutions) from <app>/profile.py.
    sections = [
        module.profile_section(member=member, viewer=request.user)
        for module in app_modules("profile")
    ]
    return render(request, "accounts/profile.html", {"member": member, "sections": sections})


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit_view(request: HttpRequest) -> HttpResponse:
    # Members only ever edit their own profile: the object is request.user, never a parameter.
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        return redirect(request.user)
    status = 400 if form.errors else 200
    return render(request, "accounts/profile_edit.html", {"form": form}, status=status)


# The admins behind the one sign-in door: where each starts, and who may enter.
STAFF_AREAS = {
    "cms": {"start": "wagtailadmin_home", "may_enter": permissions.can_enter_editors_admin},
    "admin": {"start": "admin:index", "may_enter": permissions.can_enter_django_admin},
}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def staff_door_view(request: HttpRequest, area: str) -> HttpResponse:
    """/cms/login/ and /admin/login/. Wagtail's and Django admin's own sign-in forms are never
    shown (a POST to them signs nobody in): everyone signs in at allauth's, where the same
    rules hold for everyone (a verified email, rate limits, the lockout), then comes back
    here. Someone signed in who may not enter is told so, instead of being sent back and
    forth between the admin and the sign-in page."""
    start = reverse(STAFF_AREAS[area]["start"])
    wanted = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure())
    target = wanted if safe and wanted.startswith(start) else start
    if not request.user.is_authenticated:
        return redirect_to_login(target, login_url=reverse("account_login"))
    if STAFF_AREAS[area]["may_enter"](request.user):
        return redirect(target)
    list(messages.get_messages(request))  # the admin's own "no permission" note: said below
    return render(request, "accounts/staff_only.html", {"area": area}, status=403)
