from django.urls import path

from lindung.enrolment import views

app_name = "enrolment"
urlpatterns = [
    path("", views.index, name="index"),
    path("berakhir/", views.expiring, name="expiring"),
    path("program/<int:pk>/", views.programme, name="programme"),
    path("program/<int:pk>/batch/", views.batch_create, name="batch-create"),
    path("program/<int:pk>/jawaban/", views.answer_import, name="answer-import"),
    path("program/<int:pk>/tagihan/", views.invoice_import, name="invoice-import"),
    path("program/<int:pk>/perpanjang/", views.renew, name="renew"),
    path("batch/<int:pk>/", views.batch_detail, name="batch"),
    path("batch/<int:pk>/unduh.<str:fmt>", views.batch_download, name="batch-download"),
    path("rekonsiliasi/<int:pk>/", views.reconciliation, name="reconciliation"),
    path(
        "rekonsiliasi/<int:pk>/ekspor.xlsx",
        views.reconciliation_export,
        name="reconciliation-export",
    ),
]
