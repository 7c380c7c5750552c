from django.urls import path

from search import views

app_name = "search"

urlpatterns = [
    path("", views.search_view, name="results"),
    path("suggest/", views.suggest_view, name="suggest"),
    path("similar/", views.similar_view, name="similar"),
    path("opened/", views.opened_view, name="opened"),
]
