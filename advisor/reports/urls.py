from __future__ import annotations

from django.urls import path

from advisor.reports import views

app_name = "reports"

urlpatterns = [
    path("<str:token>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<str:token>/summary.pdf", views.summary_pdf, name="summary_pdf"),
]
