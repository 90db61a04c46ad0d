"""Outlet reliability: how far each outlet departs from the consensus of the other voices, as a weight.

Truth discovery in the CRH / CATD family (Li et al. 2014, "Resolving conflicts in heterogeneous data by truth
discovery and source reliability estimation"; Li et al. 2015, "A confidence-aware approach for truth discovery on
long-tail data"). Each comparison gives a loss in [0, 1] (a count departing by a factor of two or more, or another
perpetrator, is a loss of 1). An outlet's weight is its precision, 1 / mean squared loss, shrunk toward a prior and
scaled by CATD's lower confidence bound chi2(alpha/2, n) / n, so an outlet known from few claims stays near the prior
instead of swinging to the extremes on one lucky or unlucky story.

Weights are relative: 1.0 is what an outlet with no history gets, above 1 is trusted more, below 1 less.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from math import inf

from scipy.stats import chi2


@dataclass(frozen=True)
class OutletReliability:
    """One outlet's weight in one run: `claims` comparisons with other voices, `error` their mean loss (None if none)."""

    outlet: str
    weight: float
    claims: int
    error: float | None


@dataclass(frozen=True)
class ReliabilitySettings:
    """Knobs of the weight estimate; the defaults were measured on gva-dev (bench/eval_consensus.py)."""

    # CATD's confidence level: the weight is the lower end of a (1 - alpha) interval on the outlet's precision.
    alpha: float = 0.05
    # Pseudo-comparisons of the prior: an outlet needs several stories before its own record outweighs the prior.
    prior_claims: float = 5.0
    # Floor on the pooled mean squared loss, so a run where everyone agrees does not divide by zero.
    min_variance: float = 0.01

    def __post_init__(self) -> None:
        if not 0.0 < self.alpha < 1.0:
            raise ValueError("alpha must be in (0.0, 1.0)")
        if self.prior_claims <= 0:
            raise ValueError("prior_claims must be > 0")
        if self.min_variance <= 0:
            raise ValueError("min_variance must be > 0")


def _caution(m: float, alpha: float) -> float:
    """Return CATD's lower confidence factor chi2(alpha/2, m) / m: near 0 for few claims, toward 1 for many."""
    return float(chi2.ppf(alpha / 2, m)) / m


def outlet_reliability(
    losses: Mapping[str, Sequence[float]],
    outlets: Sequence[str],
    prior: Mapping[str, float] | None = None,
    settings: ReliabilitySettings = ReliabilitySettings(),
) -> dict[str, OutletReliability]:
    """Return each outlet's relative weight from its losses against the consensus of other voices.

    `outlets` lists every outlet to weigh (those with no losses keep their prior weight, default 1.0);
    `prior` holds weights from an earlier run. Raises ValueError on a loss outside [0, 1] or a prior weight <= 0.
    """
    prior = prior or {}
    all_losses = [x for values in losses.values() for x in values]
    for x in all_losses:
        if not 0.0 <= x <= 1.0:
            raise ValueError(f"loss must be in [0, 1], got {x}")
    # Empirical Bayes: the prior variance is the pooled mean squared loss of this run.
    pooled = sum(x * x for x in all_losses) / len(all_losses) if all_losses else settings.min_variance
    pooled = max(pooled, settings.min_variance)
    lam = settings.prior_claims
    reference = _caution(lam, settings.alpha) / pooled
    result: dict[str, OutletReliability] = {}
    for outlet in sorted(set(outlets) | set(losses)):
        own = list(losses.get(outlet, ()))
        prior_weight = prior.get(outlet, 1.0)
        if not prior_weight > 0 or prior_weight == inf:
            raise ValueError(f"prior weight of {outlet!r} must be a positive number, got {prior_weight}")
        prior_variance = pooled / prior_weight
        n = len(own)
        variance = (sum(x * x for x in own) + lam * prior_variance) / (n + lam)
        # With no comparisons this reduces to prior_weight exactly.
        weight = _caution(n + lam, settings.alpha) / variance / reference
        result[outlet] = OutletReliability(
            outlet=outlet, weight=weight, claims=n, error=sum(own) / n if n else None
        )
    return result
