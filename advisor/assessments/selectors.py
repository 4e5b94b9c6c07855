"""Reads for the wizard: an assessment by its token, and its ruleset's wizard.

The :class:`Wizard` joins what a step page needs from two other areas: the
ruleset's question specs (rules) and the price catalog's entries and
defaults (costs), through their services only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404

from advisor.assessments.models import Assessment, PastResult, ScenarioVariant
from advisor.assessments.steps import (
    Step,
    build_steps,
    is_shown,
    step_index,
    trigger_keys,
)
from advisor.costs.catalog import PLANNED_CATALOG_KINDS, CatalogSnapshot
from advisor.costs.selectors import catalog_snapshot
from advisor.costs.services import catalog_defaults
from advisor.rules.answers import QuestionSpec, apply_defaults
from advisor.rules.conditions import ConditionSchema
from advisor.rules.models import Ruleset
from advisor.rules.services import frozen_ruleset_cached, question_specs

DASHBOARD_PAGE_SIZE = 20


def assessment_by_token(*, token: str, documents: bool = True) -> Assessment:
    """The assessment behind a public link, or the site's 404.

    ``documents=False`` leaves its JSON documents unread until used
    (:meth:`AssessmentQuerySet.without_documents`), and its ruleset too:
    pages served from a cache need neither (the join alone was a third of
    the query's time). Such a row also says whether it has scenario variants
    (``has_variants``), in the same query: without them the result page's
    scenarios section needs no other read.
    """
    if documents:
        return get_object_or_404(Assessment.objects.for_token(token))
    return get_object_or_404(
        Assessment.objects.filter(token=token)
        .without_documents()
        .annotate(has_variants=Exists(ScenarioVariant.objects.filter(assessment=OuterRef("pk"))))
    )


def may_open(*, user: User | AnonymousUser, assessment: Assessment) -> bool:
    """May this visitor open the assessment's buyer pages (wizard, result, PDF)?

    - Anonymous: yes. The link is the buyer's key (192 random bits); the
      consultant sends it to the client, who needs no account.
    - Staff: yes. Support reads assessments anyway (Django admin).
    - Any other signed-in user: only their own, or an unowned one. Another
      consultant's client is a 404, as if it did not exist: a consultant's
      account never reaches a colleague's clients, even with their link.
    """
    if not user.is_authenticated or user.is_staff:
        return True
    return assessment.owner_id is None or assessment.owner_id == user.pk


def assessment_for_visitor(
    *, token: str, user: User | AnonymousUser, documents: bool = True
) -> Assessment:
    """The assessment behind a link if :func:`may_open` allows it, else the site's 404.

    ``documents`` as for :func:`assessment_by_token`.

    The user is resolved before the lookup: reading it reads the session,
    which makes the response ``Vary: Cookie``; resolved only for tokens that
    exist, that header told another consultant's token from a missing one.
    """
    user.is_authenticated  # noqa: B018 (read for its side effect, see above)
    assessment = assessment_by_token(token=token, documents=documents)
    if not may_open(user=user, assessment=assessment):
        raise Http404("No such assessment")
    return assessment


def owned_assessment(*, token: str, user: User) -> Assessment:
    """One of the consultant's own assessments (workspace pages), else the site's 404.

    Nobody else, staff included, reaches an assessment's notes, re-scoring
    or history here: staff use Django admin.
    """
    return get_object_or_404(Assessment.objects.for_token(token).owned_by(user.pk))


def assessments_for_dashboard(
    *,
    user: User,
    query: str = "",
    recommendation: str = "",
    status: str = "",
    page: str | int | None = 1,
) -> Page[Assessment]:
    """A page of the consultant's own assessments, most recently changed first."""
    found = (
        Assessment.objects.owned_by(user.pk)
        .matching(query=query, recommendation=recommendation, status=status)
        .for_dashboard()
        .select_related("ruleset")
        .order_by("-updated_at", "-pk")
    )
    return Paginator(found, DASHBOARD_PAGE_SIZE).get_page(page)


def assessments_for_export(*, user: User) -> list[Assessment]:
    """Every one of the consultant's assessments, oldest first (CSV rows)."""
    return list(
        Assessment.objects.owned_by(user.pk)
        .select_related("ruleset")
        .prefetch_related("variants")
        .order_by("created_at", "pk")
    )


def past_results_of(*, assessment: Assessment) -> list[PastResult]:
    return list(assessment.past_results.select_related("ruleset"))


@dataclass(frozen=True)
class Wizard:
    """The steps of one ruleset version, with the catalog snapshot of this request.

    Pass ``catalog`` on to the services (completing, parsing) so the request
    reads the catalog once.
    """

    specs: tuple[QuestionSpec, ...]
    steps: tuple[Step, ...]
    schema: ConditionSchema
    triggers: frozenset[str]
    catalog: CatalogSnapshot
    defaults: Mapping[str, Any]

    @property
    def catalog_options(self) -> Mapping[str, tuple[tuple[str, str], ...]]:
        return self.catalog.choices

    @property
    def catalog_keys(self) -> Mapping[str, tuple[str, ...]]:
        return self.catalog.keys

    def step(self, slug: str) -> Step | None:
        index = step_index(self.steps, slug)
        return None if index is None else self.steps[index]

    def with_defaults(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """``answers`` completed by each question's default, else the catalog's."""
        return apply_defaults(answers, self.specs, self.defaults)

    def visible(self, step: Step, answers: Mapping[str, Any]) -> tuple[QuestionSpec, ...]:
        """The step's questions whose show-if holds for ``answers``."""
        effective = self.with_defaults(answers)
        return tuple(spec for spec in step.questions if is_shown(spec, effective, self.schema))


def wizard_for(*, ruleset: Ruleset, catalog: CatalogSnapshot | None = None) -> Wizard:
    """The ruleset's wizard (built once per process unless a draft) over ``catalog``.

    The catalog is edited in admin at any time: without ``catalog`` its
    current snapshot is taken (one query while the version is unchanged).
    """
    specs, steps, schema, triggers = frozen_ruleset_cached(ruleset, "wizard", _wizard_structure)
    catalog = catalog or catalog_snapshot()
    return Wizard(
        specs=specs,
        steps=steps,
        schema=schema,
        triggers=triggers,
        catalog=catalog,
        # The planner's picks have no default to prefill: the step offers "let the
        # planner choose" (forms.PLANNED_CATALOG_KINDS), as the result is costed.
        defaults={
            key: value
            for key, value in catalog_defaults(catalog=catalog).items()
            if key not in PLANNED_CATALOG_KINDS
        },
    )


def _wizard_structure(
    ruleset: Ruleset,
) -> tuple[tuple[QuestionSpec, ...], tuple[Step, ...], ConditionSchema, frozenset[str]]:
    """What the ruleset alone decides: kept per process once it is published."""
    specs = question_specs(ruleset)
    steps = build_steps(specs)
    # Show-if conditions read answers only: no cost figures, no outcome.
    schema = ConditionSchema.build(
        ((spec.key, spec.type, spec.choice_values) for spec in specs), outcome=False
    )
    return specs, steps, schema, trigger_keys(steps)
