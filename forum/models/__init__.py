from forum.models.categories import Category
from forum.models.engagement import (
    CategorySubscription,
    EmailFrequency,
    Notification,
    NotificationSettings,
    TagSubscription,
    TopicState,
)
from forum.models.events import TopicEvent
from forum.models.moderation import Flag, ModerationLog
from forum.models.topics import (
    Attachment,
    HelpfulVote,
    Post,
    PostRevision,
    TaggedTopic,
    Topic,
)

__all__ = [
    "Attachment",
    "Category",
    "CategorySubscription",
    "EmailFrequency",
    "Flag",
    "HelpfulVote",
    "ModerationLog",
    "Notification",
    "NotificationSettings",
    "Post",
    "PostRevision",
    "TagSubscription",
    "TaggedTopic",
    "Topic",
    "TopicEvent",
    "TopicState",
]
