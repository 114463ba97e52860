from django.urls import path

from lindung.compliance import views

app_name = "compliance"
urlpatterns = [
    path("", views.company_list, name="list"),
    path("perusahaan/<int:pk>/", views.company_detail, name="company-detail"),
    path("tinjauan/", views.review_queue, name="review"),
    path("tinjauan/<int:pk>/<str:decision>/", views.decide, name="decide"),
    path("surat-imbauan/", views.appeal_batch, name="appeal-batch"),
    path("tindak-lanjut/", views.follow_up, name="follow-up"),
    path("kasus/<int:pk>/tanggapan/", views.case_response, name="case-response"),
    path("kasus/<int:pk>/surat-berikutnya/", views.case_next_letter, name="case-next"),
    path("kasus/<int:pk>/lanjutkan/", views.case_resume, name="case-resume"),
    path("tanggapan/<int:pk>/bukti/", views.evidence, name="evidence"),
]
