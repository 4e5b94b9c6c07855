"""Assessment URLs, keyed by the public token (``<slug:token>``: URL-safe base64)."""

from __future__ import annotations

from django.urls import URLPattern, path

from advisor.assessments import views

app_name = "assessments"

urlpatterns: list[URLPattern] = [
    path("start/", views.start, name="start"),
    path("<slug:token>/", views.resume, name="resume"),
    path("<slug:token>/step/<slug:slug>/", views.step, name="step"),
    path("<slug:token>/step/<slug:slug>/live/", views.step_live, name="step_live"),
    path("<slug:token>/step/<slug:slug>/usage/", views.usage, name="usage"),
    path("<slug:token>/review/", views.review, name="review"),
    path("<slug:token>/result/", views.result, name="result"),
    path("<slug:token>/scenarios/", views.scenario_add, name="scenario_add"),
    path("<slug:token>/scenarios/remove/", views.scenario_remove, name="scenario_remove"),
    path("<slug:token>/chart/cumulative.svg", views.cumulative_chart, name="cumulative_chart"),
    path("<slug:token>/new-version/", views.request_new_version, name="request_new_version"),
]
