"""The URLconf: one include per area; each app keeps its own urls.py."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from advisor.core import views as core_views

urlpatterns = [
    path("", include("advisor.core.urls")),
    path("a/", include("advisor.assessments.urls")),
    path("a/", include("advisor.reports.urls")),
    path("consultants/", include("advisor.consultants.urls")),
    path("admin/", admin.site.urls),
]

handler404 = core_views.page_not_found
handler500 = core_views.server_error
