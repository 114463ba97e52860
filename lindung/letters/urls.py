from django.urls import path

from lindung.letters import views

app_name = "letters"
urlpatterns = [
    path("", views.batch_list, name="list"),
    path("kumpulan/<int:pk>/", views.batch_detail, name="batch"),
    path("kumpulan/<int:pk>/kemajuan/", views.batch_progress, name="progress"),
    path("kumpulan/<int:pk>/unduh.<str:fmt>", views.batch_download, name="download"),
    path("agenda/", views.register, name="register"),
    path("agenda/<int:pk>.pdf", views.letter_pdf, name="letter-pdf"),
]
