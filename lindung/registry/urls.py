from django.urls import path

from lindung.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.worker_list, name="worker-list"),
    path("ekspor.csv", views.worker_export, name="worker-export"),
    path("jumlah/", views.worker_count, name="worker-count"),
    path("kecamatan/", views.kecamatan_options, name="kecamatan-options"),
    path("desa/", views.desa_options, name="desa-options"),
    path("<int:pk>/", views.worker_detail, name="worker-detail"),
    path("<int:pk>/nik/", views.worker_reveal_nik, name="worker-reveal-nik"),
]
