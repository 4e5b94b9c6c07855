from __future__ import annotations

from django.urls import path

from advisor.core import views

app_name = "core"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("healthz", views.healthz, name="healthz"),
]
