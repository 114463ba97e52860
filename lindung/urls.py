from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from lindung.api import api
from lindung.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("masuk/", auth_views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("pekerja/", include("lindung.registry.urls")),
    path("iuran/", include("lindung.subsidy.urls")),
    path("impor/", include("lindung.imports.urls")),
    path("cakupan/", include("lindung.matching.urls")),
    path("audit/", include("lindung.audit.urls")),
    path("kepatuhan/", include("lindung.compliance.urls")),
    path("program/", include("lindung.programmes.urls")),
    path("pendaftaran/", include("lindung.enrolment.urls")),
    path("surat/", include("lindung.letters.urls")),
    path("dasbor/", include("lindung.reporting.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
