from django.urls import path

from lindung.compliance import views

app_name = "compliance"
urlpatterns = [
    path("", views.company_list, name="list"),
    path("perusahaan/<int:pk>/", views.company_detail, name="company-detail"),
    path("tinjauan/", views.review_queue, name="review"),
    path("tinjauan/<int:pk>/<str:decision>/", views.decide, name="decide"),
]
