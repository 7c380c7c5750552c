from django.urls import path

from kb import views

app_name = "kb"

urlpatterns = [
    path("submissions/", views.submissions_view, name="submissions"),
    path("submissions/new/", views.submission_new_view, name="submission_new"),
    path("submissions/<id:pk>/", views.submission_preview_view, name="submission_preview"),
    path("submissions/<id:pk>/edit/", views.submission_edit_view, name="submission_edit"),
    path("submissions/<id:pk>/submit/", views.submission_submit_view, name="submission_submit"),
    path("feedback/<id:pk>/", views.feedback_view, name="feedback"),
    path("promote/<id:topic_pk>/", views.promote_view, name="promote"),
]
