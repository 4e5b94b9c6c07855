"""What the assessments app announces, for the apps above it to act on.

``assessments`` sits below ``reports`` in the layers (``[tool.importlinter]``):
it cannot call the report's pre-render itself, so completing (or re-scoring)
an assessment sends :data:`assessment_completed` and ``reports`` connects the
render to it (``advisor/reports/signals.py``). The receivers hold no business
logic: the result is already stored when the signal is sent.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction that stored a new result, with ``assessment_id``.
assessment_completed = Signal()
