"""The reports app's receivers: the PDF pre-render starts when a result is stored.

Connected in :meth:`advisor.reports.apps.ReportsConfig.ready`; the render is
enqueued when the completing transaction commits
(:func:`advisor.reports.tasks.prerender_report_after_commit`).
"""

from __future__ import annotations

from typing import Any

from advisor.assessments.signals import assessment_completed
from advisor.reports.tasks import prerender_report_after_commit


def prerender_on_completion(sender: object, *, assessment_id: int, **kwargs: Any) -> None:
    """The buyer's next click is often the PDF: have it ready as a stored file."""
    prerender_report_after_commit(assessment_id=assessment_id)


def connect() -> None:
    assessment_completed.connect(
        prerender_on_completion, dispatch_uid="advisor-reports-prerender-on-completion"
    )
