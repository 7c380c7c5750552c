"""Coordinators manage training sessions in the editors' admin: a session with its meetings,
trainers, reading and materials on one screen. What a save means for the programme (the dates,
the forum discussion, the waiting list) is programme.services.session_saved."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from programme import services
from programme.models import TrainingSession


class SessionCreateView(generic.CreateView):
    def save_instance(self):
        session = super().save_instance()
        return services.session_saved(session=session, by=self.request.user)


class SessionEditView(generic.EditView):
    def save_instance(self):
        session = super().save_instance()
        return services.session_saved(session=session, by=self.request.user)


class TrainingSessionViewSet(ModelViewSet):
    model = TrainingSession
    icon = "calendar-alt"
    menu_label = _("Training sessions")
    menu_order = 300
    add_to_admin_menu = True
    add_view_class = SessionCreateView
    edit_view_class = SessionEditView
    copy_view_enabled = False
    list_display = ["title", "area", "starts_at", "seats_taken", "capacity"]
    list_filter = ["area", "kind", "mode"]
    search_fields = ["title", "description"]
    search_backend_name = None  # the database: a few hundred sessions at most
    ordering = ["-starts_at"]


training_sessions = TrainingSessionViewSet("training_sessions")


@hooks.register("register_admin_viewset")
def register_training_sessions():
    return training_sessions
