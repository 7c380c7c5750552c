"""The forum in Django's admin: administrators edit the competency areas; topics, posts and
the moderation record are there to look things up (moderators work on the site itself)."""

from django.contrib import admin

from forum import services
from forum.models import Category, Flag, ModerationLog, Topic


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "position", "colour", "members_only", "topic_count"]
    list_editable = ["position", "members_only"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["topic_count", "reply_count"]
    fields = [
        "name",
        "name_en",
        "slug",
        "description",
        "description_en",
        "position",
        "colour",
        "members_only",
        "topic_count",
        "reply_count",
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.category_changed(category=obj)  # members-only or not: the search must know


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "author", "created_at", "reply_count", "is_visible"]
    list_filter = ["category", "is_visible", "is_locked", "is_pinned"]
    search_fields = ["title"]
    list_select_related = ["category", "author"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False  # asked on the site, through forum.services

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["post", "reason", "flagged_by", "created_at", "resolution"]
    list_filter = ["reason", "resolution"]
    list_select_related = ["post__topic", "flagged_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # resolved on the site (the flag queue), so that the log records it


@admin.register(ModerationLog)
class ModerationLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "topic", "details"]
    list_filter = ["action"]
    list_select_related = ["actor", "topic"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
