from django.urls import path

from programme import views
from programme.views import coordinating, training

app_name = "programme"

urlpatterns = [
    path("", views.insight_view, name="insight"),
    path("csv/<slug:table>/", views.insight_csv_view, name="insight_csv"),
    path("chart/<slug:kind>.svg", views.chart_view, name="chart"),
    path("record/<str:username>/", views.record_view, name="record"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    # Training sessions
    path("pelatihan/", training.sessions_view, name="sessions"),
    path("pelatihan/<id:pk>/", training.session_view, name="session"),
    path("pelatihan/<id:pk>/daftar/", training.register_view, name="session_register"),
    path("pelatihan/<id:pk>/batal/", training.cancel_view, name="session_cancel"),
    path("pelatihan/<id:pk>/hadir/", training.checkin_view, name="session_checkin"),
    path("pelatihan/<id:pk>/materi/<id:material>/", training.material_view, name="material"),
    path("pelatihan/<id:pk>/kalender.ics", training.session_ics_view, name="session_ics"),
    path("pelatihan/<id:pk>/sertifikat.pdf", training.certificate_view, name="certificate"),
    path("pelatihan/<id:pk>/evaluasi/", training.evaluation_view, name="session_evaluation"),
    path("pelatihan/<id:pk>/kelola/", coordinating.manage_view, name="session_manage"),
    path("pelatihan/<id:pk>/kehadiran/", coordinating.attendance_view, name="session_attendance"),
    path("pelatihan/<id:pk>/hasil/", coordinating.results_view, name="session_results"),
    path("pelatihan/<id:pk>/hasil.csv", coordinating.results_csv_view, name="session_results_csv"),
    path("pelatihan/hasil/", coordinating.area_results_view, name="area_results"),
    path("pelatihan/hasil.csv", coordinating.area_results_csv_view, name="area_results_csv"),
    path("kalender/", training.calendar_view, name="calendar"),
    path("kalender/atur-ulang/", training.calendar_reset_view, name="calendar_reset"),
    path("kalender/<str:token>.ics", training.feed_view, name="feed"),
    path("sertifikat/<str:code>/", training.certificate_verify_view, name="certificate_verify"),
    path("sertifikat/<str:code>.pdf", training.certificate_pdf_view, name="certificate_pdf"),
]
