from django.urls import path

from lindung.subsidy import views

app_name = "subsidy"
urlpatterns = [
    path("", views.rules, name="rules"),
]
