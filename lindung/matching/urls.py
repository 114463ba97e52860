from django.urls import path

from lindung.matching import views

app_name = "matching"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("jalankan/", views.start_run, name="run"),
    path("proses/<int:pk>/kemajuan/", views.run_progress, name="run-progress"),
    path("tinjauan/", views.review_list, name="review"),
    path("tinjauan/<int:pk>/<str:decision>/", views.review_decide, name="review-decide"),
    path("ganda/", views.duplicate_list, name="duplicates"),
    path("ganda/<int:pk>/gabungkan/", views.duplicate_merge, name="duplicate-merge"),
    path("ganda/<int:pk>/bukan/", views.duplicate_dismiss, name="duplicate-dismiss"),
]
