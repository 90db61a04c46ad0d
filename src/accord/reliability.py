"""Outlet reliability: how far each outlet departs from the consensus of the other voices, as a weight.

Truth discovery in the CRH / CATD family (Li et al. 2014, "Resolving conflicts in heterogeneous data by truth
discovery and source reliability estimation"; Li et al. 2015, "A confidence-aware approach for truth discovery on
long-tail data"). Each comparison gives a loss in [0, 1] (a count departing by a factor of two or more, or another
perpetrator, is a loss of 1). An outlet's precision is 1 / its mean squared loss, with the prior counted as a few
pseudo-comparisons. As in CATD, the estimate comes with a chi-squared confidence interval, and the weight moves off
the prior only as far as that interval's nearest end: an outlet known from one or two stories keeps its prior
weight, one that departs from the others story after story loses it. (CATD's bare lower bound would rank any outlet
with many claims above an unknown one, however often it is wrong.)

Weights are relative to the run's pooled precision: 1.0 is what an outlet with no history gets, above 1 is trusted
more, below 1 less.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from math import inf

# scipy.special, not scipy.stats: the same quantiles (chi2.ppf is 2 * gammaincinv(dof / 2, q)), and an import of
# 0.4 s instead of 1.4 s in every run
from scipy.special import gammaincinv


@dataclass(frozen=True)
class OutletReliability:
    """One outlet's weight in one run: `claims` comparisons with other voices, `error` their mean loss (or None)."""

    outlet: str
    weight: float
    claims: int
    error: float | None


@dataclass(frozen=True)
class ReliabilitySettings:
    """Knobs of the weight estimate; the defaults were measured on gva-dev (analysis/eval_consensus.py)."""

    # Confidence level: the weight stays at the prior while the prior lies in the (1 - alpha) interval on the
    # outlet's precision.
    alpha: float = 0.5
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
    result: dict[str, OutletReliability] = {}
    for outlet in sorted(set(outlets) | set(losses)):
        own = list(losses.get(outlet, ()))
        prior_weight = prior.get(outlet, 1.0)
        if not 0 < prior_weight < inf:
            raise ValueError(f"prior weight of {outlet!r} must be a positive number, got {prior_weight}")
        n = len(own)
        # Squared losses plus the prior's pseudo-comparisons, in units of the pooled variance.
        spread = (sum(x * x for x in own) + lam * pooled / prior_weight) / pooled
        low, high = (bound / spread for bound in _chi2_interval(settings.alpha, n + lam))
        weight = min(max(prior_weight, low), high)
        result[outlet] = OutletReliability(outlet=outlet, weight=weight, claims=n, error=sum(own) / n if n else None)
    return result


@lru_cache(maxsize=4096)
def _chi2_interval(alpha: float, dof: float) -> tuple[float, float]:
    """Return the central (1 - alpha) interval of a chi-squared variable with `dof` degrees of freedom (cached: an
    outlet's degrees of freedom repeat across outlets and truth-discovery rounds, and scipy's ppf costs ~50 us)."""
    return float(2 * gammaincinv(dof / 2, alpha / 2)), float(2 * gammaincinv(dof / 2, 1 - alpha / 2))
