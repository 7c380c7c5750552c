"""The programme's part of a member's profile (accounts finds it by name): a link to their
contribution record, for them and for the coordinators only; and, for the member themself,
their coming training sessions, their certificates and their calendar's address."""

from __future__ import annotations

from programme import permissions, selectors

TEMPLATE = "programme/includes/profile_section.html"


def profile_section(*, member, viewer) -> dict:
    own = viewer.is_authenticated and viewer.pk == member.pk
    return {
        "template": TEMPLATE,
        "member": member,
        "shown": permissions.can_see_record(viewer, member),
        "own": own,
        "coming": selectors.coming_registrations(member=member) if own else [],
        "certificates": selectors.certificates_held(member=member) if own else [],
    }
