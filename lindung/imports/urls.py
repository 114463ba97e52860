from django.urls import path

from lindung.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("templat/<str:kind>.xlsx", views.job_template, name="template"),
    path("<int:pk>/", views.job_detail, name="job"),
    path("<int:pk>/kemajuan/", views.job_progress, name="progress"),
    path("<int:pk>/validasi/", views.job_validate, name="validate"),
    path("<int:pk>/simpan/", views.job_commit, name="commit"),
    path("<int:pk>/batal/", views.job_cancel, name="cancel"),
    path("<int:pk>/laporan.xlsx", views.job_report, name="report"),
]
