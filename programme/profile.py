"""The programme's part of a member's profile (accounts finds it by name): a link to their
contribution record, for them and for the coordinators only."""

from __future__ import annotations

from programme import permissions

TEMPLATE = "programme/includes/profile_section.html"


def profile_section(*, member, viewer) -> dict:
    return {
        "template": TEMPLATE,
        "member": member,
        "shown": permissions.can_see_record(viewer, member),
    }
