"""The URLconf: one include per area; each app keeps its own urls.py."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from advisor.api.main import api
from advisor.core import views as core_views

urlpatterns = [
    path("", include("advisor.core.urls")),
    path("a/", include("advisor.assessments.urls")),
    path("a/", include("advisor.reports.urls")),
    path("consultants/", include("advisor.consultants.urls")),
    path("api/v1/", api.urls),
    path("accounts/login/", core_views.SignInView.as_view(), name="login"),
    # POST only (Django 5): a link or an <img> elsewhere cannot sign anyone out.
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]

handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
