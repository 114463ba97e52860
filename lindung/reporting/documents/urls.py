from django.urls import path

from lindung.reporting.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.archive, name="archive"),
    path("<int:pk>/unduh.<str:fmt>", views.download, name="download"),
    path("ringkasan.<str:fmt>", views.brief_now, name="brief"),
    path("bulanan.<str:fmt>", views.monthly_now, name="monthly"),
    path("anggaran/<int:programme_pk>.<str:fmt>", views.budget_now, name="budget"),
]
