from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts import selectors, services
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
