from __future__ import annotations

from django.urls import path

from advisor.consultants import views

app_name = "consultants"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
]
