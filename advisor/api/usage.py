"""Anonymous: a usage export in, the answers it supports (and how each was derived) out."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router
from ninja.errors import HttpError
from ninja.files import UploadedFile

from advisor.api.schemas import Problem, UsageDerived
from advisor.api.services import derived_usage
from advisor.assessments.usage import max_upload_bytes
from advisor.core.rate_limits import USAGE_POST, usage_post_rate
from advisor.core.rate_limits import enforce as count_request
from advisor.core.uploads import route_of, upload_limit
from advisor.rules.services import current_ruleset
from advisor.usage import FORMATS, UsageFileError, UsageWorkload

router = Router(tags=["usage"])


def read_export(
    request: HttpRequest, export: UploadedFile, *, format: str
) -> tuple[UsageWorkload, dict[str, Any]]:
    """Refusals as the web gives them: the size first, then the file's own problems.

    The size is the route's limit (``UPLOAD_MAX_BYTES_BY_ROUTE``), the one the
    upload handler cut the file off at while it arrived.
    """
    if format not in FORMATS:
        raise HttpError(422, f"format: one of {', '.join(FORMATS)}, not {format!r}")
    limit = min(upload_limit(route_of(request)), max_upload_bytes())
    if export.size is not None and export.size > limit:
        raise HttpError(
            413, f"{export.name}: larger than {limit / (1024 * 1024):g} MB, the most the API reads."
        )
    try:
        with export.open("rb") as file:
            return derived_usage(file, ruleset=current_ruleset(), format=format)
    except UsageFileError as error:
        raise HttpError(422, f"{export.name}: {error}") from None


@router.post(
    "/usage/derive",
    url_name="usage_derive",
    response={200: UsageDerived, 413: Problem, 422: Problem, 429: Problem},
    summary="Derive answers from a usage export",
)
def usage_derive(
    request: HttpRequest,
    export: File[UploadedFile],
    format: Form[str] = "auto",
) -> dict[str, Any]:
    """OpenAI, Anthropic, LiteLLM or a generic CSV export (10 MB at most), as on the web.

    The answers can be sent to ``POST /evaluate`` as they are.
    """
    count_request(request, group=USAGE_POST, rate=usage_post_rate)
    _workload, derived = read_export(request, export, format=format)
    return derived
