from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _

from forum import permissions, selectors


def forum(request: HttpRequest) -> dict:
    """The header's forum bits: the unread count (cached) and, for moderators, open flags.
    Callables, so a page that does not show them pays nothing."""
    # An error page can render before the authentication middleware ran (a 400 for a bad Host).
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "unread_notifications": lambda: selectors.unread_count(user=user),
        "open_flags": lambda: selectors.open_flag_count() if permissions.can_moderate(user) else 0,
        "live_text": live_text,
    }


def live_text() -> dict[str, str]:
    """What the live script says, in the page's language ({n}, {name} are filled in)."""
    return {
        "replies_one": _("1 new reply"),
        "replies_many": _("{n} new replies"),
        "topics_one": _("1 new topic"),
        "topics_many": _("{n} new topics"),
        "replied_one": _("1 topic with new replies"),
        "replied_many": _("{n} topics with new replies"),
        "show": _("show"),
        "reload": _("reload the page"),
        "typing": _("{name} is writing a reply…"),
        "moved": _("A moderator moved this topic to {name}."),
        "merged": _("A moderator merged this topic into another one:"),
        "go_there": _("go there"),
        "hidden": _("A moderator hid this topic."),
        "locked": _("A moderator locked this topic: it takes no new replies."),
        "unlocked": _("This topic is open for replies again."),
        "grew": _("Replies from a merged topic were added."),
        "behind": _("This page has fallen behind."),
        "gone": _("You can no longer see this topic."),
    }
