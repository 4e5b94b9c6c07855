"""The price catalog as it stood at one version: pure data, read once, passed down.

:func:`advisor.costs.selectors.catalog_snapshot` builds a
:class:`CatalogSnapshot` from the catalog's rows (one query per table) and
keeps it per process until the catalog's version changes; everything that
needs catalog figures during a request (the wizard's choices and defaults,
the cost model's assumptions, the answer parser's allowed keys) takes the
snapshot instead of reading rows again. No Django import here: what the
catalog decides (the defaults, the like-for-like candidates, the router
model) is plain code over plain data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from advisor.costs.prices import ApiModelPrice, GpuPrice, ServingProfile, Source

CATALOG_KINDS: tuple[str, ...] = ("api_model", "self_host_model", "small_model", "gpu")
# The kinds the capacity planner chooses when the buyer does not: no default to show.
PLANNED_CATALOG_KINDS = frozenset({"gpu", "self_host_model", "small_model"})


class CatalogNotSeeded(LookupError):
    """The catalog lacks a row the cost model needs (run ``manage.py seed``)."""


@dataclass(frozen=True)
class Quality:
    """A model's score on one public leaderboard (``source``, at ``url``), as of a date."""

    score: float
    source: str
    url: str
    as_of: date


@dataclass(frozen=True)
class ApiModelEntry:
    """An active API model: its prices, and what the catalog says about choosing it.

    ``quality`` is None where the leaderboard does not rate the model ("not
    rated"). ``open_model_key`` names the open model an open-weights row
    serves (empty for a closed model).
    """

    price: ApiModelPrice
    label: str
    is_default: bool
    # USD for the default workload's 1,500 input / 400 output tokens per million
    # queries, exactly (Decimal): ranks the router and open_api candidates, nothing else.
    blended_usd: Decimal
    quality: Quality | None = None
    open_model_key: str = ""

    @property
    def key(self) -> str:
        return self.price.key


@dataclass(frozen=True)
class GpuEntry:
    """An active GPU offering (profiles also carry their own GPU, active or not)."""

    price: GpuPrice
    label: str

    @property
    def key(self) -> str:
        return self.price.key


@dataclass(frozen=True)
class ProfileEntry:
    """An active self-hosted model profile: a model measured on one GPU configuration."""

    profile: ServingProfile
    model_key: str
    is_default_for_tier: bool

    @property
    def key(self) -> str:
        return self.profile.key

    @property
    def tier(self) -> str:
        return self.profile.tier


@dataclass(frozen=True)
class OpenModelEntry:
    """An active open-weights model: what self-hosting runs and ``open_api`` buys per token."""

    key: str
    name: str
    total_parameters_billions: float
    active_parameters_billions: float
    licence: str
    tier: str
    quality: Quality | None
    source: Source

    @property
    def mixture_of_experts(self) -> bool:
        return self.active_parameters_billions < self.total_parameters_billions


@dataclass(frozen=True)
class CostFigure:
    """One global assumption of the cost model, with its source and plausible range."""

    key: str
    value: float
    source: Source
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class CatalogSnapshot:
    """The active catalog entries, in the catalog's own order, at ``version``.

    ``version`` is the catalog version the rows were read at (empty when the
    database had none: such a snapshot is never kept between requests).
    API models are in (provider, key) order, GPUs by key, profiles by
    (tier, largest first, key), open models by (tier, largest first, key),
    as the admin lists them.
    """

    version: str
    api_models: tuple[ApiModelEntry, ...]
    gpus: tuple[GpuEntry, ...]
    profiles: tuple[ProfileEntry, ...]
    figures: tuple[CostFigure, ...]
    open_models: tuple[OpenModelEntry, ...] = ()

    # --- lookups ------------------------------------------------------------

    @cached_property
    def _api_by_key(self) -> Mapping[str, ApiModelEntry]:
        return {entry.key: entry for entry in self.api_models}

    @cached_property
    def _gpu_by_key(self) -> Mapping[str, GpuEntry]:
        return {entry.key: entry for entry in self.gpus}

    @cached_property
    def _profile_by_key(self) -> Mapping[str, ProfileEntry]:
        return {entry.key: entry for entry in self.profiles}

    @cached_property
    def figures_by_key(self) -> Mapping[str, CostFigure]:
        return {figure.key: figure for figure in self.figures}

    def api_model(self, key: str) -> ApiModelEntry | None:
        return self._api_by_key.get(key)

    def gpu(self, key: str) -> GpuEntry | None:
        return self._gpu_by_key.get(key)

    def profile(self, key: str) -> ProfileEntry | None:
        return self._profile_by_key.get(key)

    @cached_property
    def _open_model_by_key(self) -> Mapping[str, OpenModelEntry]:
        return {entry.key: entry for entry in self.open_models}

    def open_model(self, key: str) -> OpenModelEntry | None:
        return self._open_model_by_key.get(key)

    def open_api_offers(self, open_model_key: str) -> tuple[ApiModelEntry, ...]:
        """Active open-weights API rows serving ``open_model_key``, cheapest first.

        Ranked by the default workload's blended price, then key (stable).
        """
        offers = [
            entry
            for entry in self.api_models
            if entry.price.open_weights and entry.open_model_key == open_model_key
        ]
        return tuple(sorted(offers, key=lambda entry: (entry.blended_usd, entry.key)))

    def profiles_of(self, open_model_key: str) -> tuple[ProfileEntry, ...]:
        """Active serving profiles of ``open_model_key``, in the catalog's order."""
        return tuple(entry for entry in self.profiles if entry.model_key == open_model_key)

    # --- what the wizard offers ---------------------------------------------

    @cached_property
    def choices(self) -> Mapping[str, tuple[tuple[str, str], ...]]:
        """``(key, label)`` pairs per catalog kind (:data:`CATALOG_KINDS`)."""
        return {
            "api_model": tuple((entry.key, entry.label) for entry in self.api_models),
            "self_host_model": tuple((entry.key, entry.profile.name) for entry in self.profiles),
            "small_model": tuple(
                (entry.key, entry.profile.name) for entry in self.profiles if entry.tier == "small"
            ),
            "gpu": tuple((entry.key, entry.label) for entry in self.gpus),
        }

    @cached_property
    def keys(self) -> Mapping[str, tuple[str, ...]]:
        """The keys an answer may name, per catalog kind, in catalog order (for messages)."""
        return {kind: tuple(key for key, _ in pairs) for kind, pairs in self.choices.items()}

    # --- what the catalog decides -------------------------------------------

    def cheapest_closed_model(self, tier: str) -> ApiModelEntry | None:
        """The closed model of ``tier`` cheapest for the default workload, if any."""
        in_tier = [
            entry
            for entry in self.api_models
            if entry.price.tier == tier and not entry.price.open_weights
        ]
        return min(in_tier, key=lambda entry: (entry.blended_usd, entry.key), default=None)

    def default_api_model(self) -> ApiModelEntry:
        """The marked default, else the first closed mid-tier model."""
        entry = next((entry for entry in self.api_models if entry.is_default), None) or next(
            (
                entry
                for entry in self.api_models
                if entry.price.tier == "mid" and not entry.price.open_weights
            ),
            None,
        )
        if entry is None:
            raise CatalogNotSeeded("No active API model in the catalog: run `manage.py seed`.")
        return entry

    def default_profile(self, tier: str) -> ProfileEntry:
        """The tier's marked default, else its largest model (the best open match)."""
        in_tier = [entry for entry in self.profiles if entry.tier == tier]
        if not in_tier:
            raise CatalogNotSeeded(
                f"No active {tier}-tier self-hosted profile: run `manage.py seed`."
            )
        return min(
            in_tier,
            key=lambda entry: (
                not entry.is_default_for_tier,
                -entry.profile.parameters_billions,
                entry.key,
            ),
        )

    def candidates_for(self, tier: str, gpu: str | None) -> tuple[ProfileEntry, ...]:
        """The tier's default model on every GPU it is measured on (or on ``gpu`` only).

        Throughput is measured on one GPU type: only a profile measured on the
        chosen GPU can honestly be costed at that GPU's price. The planner
        compares one model across GPUs, never a different model, so like
        stays like. Empty when ``gpu`` is given and the model is not measured
        on it. Without ``gpu`` the default comes first.
        """
        default = self.default_profile(tier)
        same_model = [entry for entry in self.profiles if _same_model(entry, default)]
        if gpu is not None:
            on_gpu = [entry for entry in same_model if entry.profile.gpu.key == gpu]
            return tuple(sorted(on_gpu, key=lambda e: (e.profile.gpus_per_replica, e.key)))
        others = sorted(
            (entry for entry in same_model if entry.key != default.key),
            key=lambda e: (e.profile.gpu.key, e.profile.gpus_per_replica, e.key),
        )
        return (default, *others)

    def router_model(self, api: ApiModelEntry) -> ApiModelEntry | None:
        """The mini-class API model of the "API with a router" variant.

        The cheapest active small-tier model of the same provider (a router
        that stays with one vendor needs no second contract), else of any
        provider; None when the chosen model is itself mini-class.
        """
        if api.price.tier == "small":
            return None
        small_api_models = [
            entry
            for entry in self.api_models
            if entry.price.tier == "small" and not entry.price.open_weights
        ]
        if not small_api_models:
            return None
        same_provider = [
            entry for entry in small_api_models if entry.price.provider == api.price.provider
        ] or small_api_models
        return min(same_provider, key=lambda entry: (entry.blended_usd, entry.key))

    def figures_for(self, names: tuple[str, ...]) -> tuple[CostFigure, ...]:
        """The global assumptions ``names``, in that order; all of them, or an error."""
        missing = [name for name in names if name not in self.figures_by_key]
        if missing:
            raise CatalogNotSeeded(f"Missing cost assumptions {missing}: run `manage.py seed`.")
        return tuple(self.figures_by_key[name] for name in names)


def _same_model(entry: ProfileEntry, default: ProfileEntry) -> bool:
    # Profiles of one open model share its model key; without one, only the default itself.
    if entry.tier != default.tier:
        return False
    return entry.model_key == default.model_key if default.model_key else entry.key == default.key
