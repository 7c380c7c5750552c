"""The forum's section of a member's profile page (accounts finds it by name, see
accounts.views.profile_view), so that accounts never imports the forum."""

from __future__ import annotations

from forum import selectors

TEMPLATE = "forum/includes/profile_section.html"


def profile_section(*, member, viewer) -> dict:
    return {"template": TEMPLATE, "activity": selectors.member_activity(member=member, user=viewer)}
