from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("accounts/profile/", views.profile_edit_view, name="profile_edit"),
    path("members/<str:username>/", views.profile_view, name="profile"),
]
