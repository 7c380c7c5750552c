from django.urls import path

from programme import views

app_name = "programme"

urlpatterns = [
    path("", views.insight_view, name="insight"),
    path("csv/<slug:table>/", views.insight_csv_view, name="insight_csv"),
    path("chart/<slug:kind>.svg", views.chart_view, name="chart"),
    path("record/<str:username>/", views.record_view, name="record"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
