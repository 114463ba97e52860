from django.urls import include, path

from lindung.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("laporan/", include("lindung.reporting.documents.urls")),
]
