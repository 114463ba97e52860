from django.urls import path

from lindung.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("baru/", views.programme_create, name="create"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/ubah/", views.programme_edit, name="edit"),
    path("<int:pk>/pilih/", views.run_selection, name="run-selection"),
    path("<int:pk>/perpanjang/", views.renew_programme, name="renew"),
    path("<int:pk>/tidak-terpilih/<str:code>/", views.out_list, name="out-list"),
    path("<int:pk>/skenario/", views.scenarios, name="scenarios"),
    path(
        "<int:pk>/skenario/<int:scenario_pk>/hapus/",
        views.scenario_delete,
        name="scenario-delete",
    ),
    path("penerima/<int:pk>/ganti/", views.replace_beneficiary, name="replace"),
    path("pekerja/<int:worker_pk>/", views.worker_programmes, name="worker"),
]
