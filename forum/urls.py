from django.urls import path

from forum.views import actions, browsing, moderation, notifications, posting

app_name = "forum"

urlpatterns = [
    path("", browsing.forum_home_view, name="home"),
    path("ask/", posting.ask_view, name="ask"),
    path("preview/", posting.preview_view, name="preview"),
    path("c/<slug:slug>/", browsing.category_view, name="category"),
    path("c/<slug:slug>/follow/", actions.category_subscribe_view, name="category_subscribe"),
    path("tags/suggest/", browsing.tag_suggestions_view, name="tag_suggestions"),
    path("tags/<slug:slug>/", browsing.tag_view, name="tag"),
    path("tags/<slug:slug>/follow/", actions.tag_subscribe_view, name="tag_subscribe"),
    path("u/<str:username>/", browsing.member_topics_view, name="member_topics"),
    path("t/<id:pk>/", browsing.topic_view, name="topic_short"),
    path("t/<id:pk>/reply/", posting.reply_view, name="reply"),
    path("t/<id:pk>/follow/", actions.topic_subscribe_view, name="topic_subscribe"),
    path("t/<id:pk>/moderate/", moderation.topic_moderate_view, name="topic_moderate"),
    # After the topic's action addresses: a slug could otherwise read "reply" or "follow".
    path("t/<id:pk>/<slug:slug>/", browsing.topic_view, name="topic"),
    path("p/<id:pk>/", browsing.post_view, name="post"),
    path("p/<id:pk>/edit/", posting.post_edit_view, name="post_edit"),
    path("p/<id:pk>/delete/", posting.post_delete_view, name="post_delete"),
    path("p/<id:pk>/history/", browsing.post_history_view, name="post_history"),
    path("p/<id:pk>/controls/", browsing.post_controls_view, name="post_controls"),
    path("p/<id:pk>/helpful/", actions.helpful_view, name="helpful"),
    path("p/<id:pk>/solution/", actions.solution_view, name="solution"),
    path("p/<id:pk>/flag/", actions.flag_view, name="flag"),
    path("p/<id:pk>/moderate/", moderation.post_moderate_view, name="post_moderate"),
    path("p/<id:pk>/flags/resolve/", moderation.flags_resolve_view, name="flags_resolve"),
    path("attachments/<id:pk>/<str:filename>", browsing.attachment_view, name="attachment"),
    path("flags/", moderation.flag_queue_view, name="flags"),
    path("moderation-log/", moderation.moderation_log_view, name="moderation_log"),
    path("notifications/", notifications.notifications_view, name="notifications"),
    path("notifications/read/", notifications.notifications_read_view, name="notifications_read"),
    path(
        "notifications/summary/",
        notifications.notifications_summary_view,
        name="notifications_summary",
    ),
    path(
        "notifications/settings/",
        notifications.notification_settings_view,
        name="notification_settings",
    ),
    path(
        "notifications/unsubscribe/<str:token>/",
        notifications.unsubscribe_view,
        name="unsubscribe",
    ),
]
