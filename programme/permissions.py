"""Who sees the programme's insight and runs its training: its coordinators (and
administrators). A librarian sees their own contribution record, a coordinator anyone's; to
everyone else these pages do not exist (404), like anything a reader may not see. A session's
evaluation results: its coordinators and its trainers."""

from __future__ import annotations

from django.http import Http404

from accounts import roles


def is_coordinator(user) -> bool:
    return roles.has_role(user, roles.COORDINATORS)


def can_see_record(viewer, member) -> bool:
    return viewer.is_authenticated and (viewer.pk == member.pk or is_coordinator(viewer))


def check_is_coordinator(*, user) -> None:
    if not is_coordinator(user):
        raise Http404


def check_can_see_record(*, viewer, member) -> None:
    if not can_see_record(viewer, member):
        raise Http404


def can_see_results(user, session) -> bool:
    """A session's evaluation results (aggregates): its coordinators and its trainers."""
    return is_coordinator(user) or (
        user.is_authenticated and session.trainers.filter(member=user).exists()
    )


def check_can_see_results(*, user, session) -> None:
    if not can_see_results(user, session):
        raise Http404
