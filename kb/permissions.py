"""Who may do what in the knowledge base, outside the Wagtail admin (where Wagtail's own page
permissions, granted to the Editors group by migration, apply)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from wagtail.models import Page

from accounts import roles


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def is_editor(user) -> bool:
    return roles.has_role(user, roles.EDITORS)


def can_submit(user) -> bool:
    return roles.has_role(user, roles.LIBRARIANS)


def can_view_submission(user, page: Page) -> bool:
    """Drafts and pages under review: their owner and editors only."""
    return user.is_authenticated and (page.owner_id == user.pk or is_editor(user))


def can_edit_submission(user, page: Page, *, needs_changes: bool) -> bool:
    """The owner edits a draft, or a submission an editor sent back; never a page that is
    being reviewed or already published (editors take it from there)."""
    if not (can_submit(user) and page.owner_id == user.pk) or page.live:
        return False
    return needs_changes or not page.workflow_in_progress


def can_promote(user) -> bool:
    """Turning a solved forum topic into a draft article: moderators and editors, and the
    programme's coordinators, who find undocumented solutions in their insight."""
    return any(
        roles.has_role(user, role) for role in (roles.MODERATORS, roles.EDITORS, roles.COORDINATORS)
    )


def can_see_contacts(user) -> bool:
    return user.is_authenticated


def can_give_feedback(user) -> bool:
    return roles.has_role(user, roles.LIBRARIANS)


def can_see_feedback(user) -> bool:
    return is_editor(user)


def check_can_submit(*, user) -> None:
    _require(can_submit(user))


def check_can_view_submission(*, user, page: Page) -> None:
    # Someone else's draft does not exist for the reader, like an unknown address.
    if not can_view_submission(user, page):
        raise Http404


def check_can_edit_submission(*, user, page: Page, needs_changes: bool) -> None:
    _require(can_edit_submission(user, page, needs_changes=needs_changes))


def check_can_promote(*, user) -> None:
    _require(can_promote(user))


def check_can_give_feedback(*, user) -> None:
    _require(can_give_feedback(user))
