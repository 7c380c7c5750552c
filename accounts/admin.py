from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import Library, User


@admin.register(Library)
class LibraryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "city"]


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "name", "email")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    # Django's UserAdmin, with our display name, position and library in place of
    # first/last name; roles are granted with the Groups field.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Profile"), {"fields": ("name", "email", "position", "library", "bio")}),
        (
            _("Roles and permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_form = UserCreationForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "name",
                    "email",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = ["username", "name", "email", "library", "is_staff", "date_joined"]
    list_filter = ["groups", "is_staff", "is_superuser", "is_active"]
    search_fields = ["username", "name", "email"]
    list_select_related = ["library"]
    ordering = ["-date_joined"]
    autocomplete_fields = ["library"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups":  # the roles in the reader's language
            field.label_from_instance = lambda group: roles.label(group.name)
        return field
