from __future__ import annotations

from django.urls import path

from advisor.consultants import token_views, views

app_name = "consultants"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("assessments/new/", views.assessment_new, name="assessment_new"),
    path("assessments/<slug:token>/", views.assessment_detail, name="assessment"),
    path("assessments/<slug:token>/notes/", views.assessment_notes, name="assessment_notes"),
    path(
        "assessments/<slug:token>/rescore/",
        views.assessment_rescore_view,
        name="assessment_rescore",
    ),
    path(
        "assessments/<slug:token>/scenarios/",
        views.assessment_scenario_add,
        name="assessment_scenario_add",
    ),
    path(
        "assessments/<slug:token>/scenarios/remove/",
        views.assessment_scenario_remove,
        name="assessment_scenario_remove",
    ),
    path("assessments/<slug:token>/lock/", views.assessment_lock_view, name="assessment_lock"),
    path("profile/", views.profile, name="profile"),
    path("api-tokens/", token_views.api_tokens, name="api_tokens"),
    path(
        "api-tokens/<int:token_id>/revoke/",
        token_views.api_token_revoke,
        name="api_token_revoke",
    ),
    path("logo/<int:profile_id>.png", views.logo, name="logo"),
]
