"""The forum's writes, one function each (STYLE.md). Views call these and nothing else."""

from forum.services.attachments import attachment_upload, attachments_remove_orphans
from forum.services.following import (
    category_subscription_set,
    tag_subscription_set,
    topic_count_view,
    topic_mark_read,
    topic_subscription_set,
)
from forum.services.moderation import (
    flag_create,
    flags_resolve,
    post_hide,
    post_unhide,
    topic_merge,
    topic_move,
    topic_set_locked,
    topic_set_pinned,
)
from forum.services.notifications import (
    notification_email_stop,
    notification_mark_read,
    notification_settings_update,
    notifications_mark_read_for_topic,
)
from forum.services.posting import (
    post_delete,
    post_edit,
    reply_create,
    topic_create,
    topic_set_documentation,
)
from forum.services.solutions import (
    post_toggle_helpful,
    topic_mark_solution,
    topic_unmark_solution,
)
from forum.services.writes import category_changed, topic_events_prune

__all__ = [
    "attachment_upload",
    "attachments_remove_orphans",
    "category_changed",
    "category_subscription_set",
    "flag_create",
    "flags_resolve",
    "notification_email_stop",
    "notification_mark_read",
    "notification_settings_update",
    "notifications_mark_read_for_topic",
    "post_delete",
    "post_edit",
    "post_hide",
    "post_toggle_helpful",
    "post_unhide",
    "reply_create",
    "tag_subscription_set",
    "topic_count_view",
    "topic_create",
    "topic_events_prune",
    "topic_mark_read",
    "topic_mark_solution",
    "topic_merge",
    "topic_move",
    "topic_set_documentation",
    "topic_set_locked",
    "topic_set_pinned",
    "topic_subscription_set",
    "topic_unmark_solution",
]
