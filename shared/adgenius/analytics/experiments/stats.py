"""Bayesian statistics for ad experiments: pure functions of aggregated counts, no I/O.

Every function takes numpy arrays whose LAST axis is the arms of one experiment; any leading
axes are a batch (many experiments or many daily looks at once), which is how the calibration
tests and the bench simulate thousands of experiments in seconds.

Models (a "rate" is always a ratio of SUMS over the window, never an average of daily rates):

- CTR = clicks / impressions: Beta-Binomial. Prior Beta(a0, b0) (weak: Beta(1, 1)); posterior
  theta ~ Beta(a0 + clicks, b0 + impressions - clicks).
- CVR = conversions / clicks: Beta-Binomial the same way while conversions <= clicks for every
  arm; ad platforms count every conversion (and data-driven attribution reports fractions), so
  when an arm has more conversions than clicks the experiment uses Gamma-Poisson instead.
- Conversions per impression: Gamma-Poisson, a count per unit of exposure. Prior Gamma(a0, r0)
  (shape, rate; weak: Gamma(1, 1e-9 * exposure scale)); posterior
  lambda ~ Gamma(a0 + conversions, r0 + exposure).
- CPA = cost / conversions (lower is better): modelled through its inverse, conversions per unit
  of cost, lambda ~ Gamma(a0 + conversions, r0 + cost); CPA = 1 / lambda, so the arm with the
  highest lambda has the lowest CPA and probabilities to be best are exact. CPA's posterior mean
  is r / (a - 1) (inverse-Gamma; undefined when a <= 1, reported as None); its interval is the
  flipped interval of lambda; its expected loss is E[CPA_k] - E[min_j CPA_j] with
  E[min CPA] = E[1 / max lambda], both integrated below.
- ROAS = conversion value / cost: a product of two uncertain sums, Monte Carlo on the sums
  (seeded): ROAS_k = lambda_k * vbar_k with lambda_k ~ Gamma(a0 + conversions, r0 + cost)
  (conversions per unit of cost) and vbar_k, the value per conversion, ~ Gamma(1 + n_k,
  1 / pooled_aov + n_k / aov_k) with n_k = conversions_k / cv^2 (cv: assumed coefficient of
  variation of one conversion's value, default 1.0: facts carry only sums, not single values).
  vbar's mean is the arm's own average order value once it has conversions and the experiment's
  pooled one before, so an arm without sales is not infinitely uncertain.

Probability to be best and expected loss (Beta and Gamma families) are NOT Monte Carlo: they are
one-dimensional integrals over exact CDFs (scipy.special.betainc / gammainc),

    P(k best)  = integral of prod_{j != k} F_j(x) dF_k(x)
    E[max]     = integral of x dG(x),  G = prod_j F_j (the CDF of the maximum)
    loss_k     = E[max_j theta_j] - E[theta_k] = E[max(max_{j != k} theta_j - theta_k, 0)]

evaluated with the trapezoid rule on a grid that is the union of every arm's own points
(mean +- up to 12 standard deviations, spaced by normal quantiles), so every arm's CDF
transition is resolved even when one arm is 1000x narrower than another. Accuracy is better
than 2e-4 against closed forms (tests/unit/analytics/test_experiment_stats.py) and the result
is deterministic with no seed at all. Only ROAS needs draws.

Why numpy/scipy and not `bayesian-testing` (PyPI, numpy only): that library estimates every
probability by Monte Carlo (so 1e-3 agreement would need ~10^6 draws per arm and evaluation),
has no ratio model for CPA/ROAS on sums, no empirical-Bayes prior, no vectorised batch (the
calibration simulations evaluate 30,000 looks), and no top-two Thompson weights. scipy's special
functions give exact CDFs, which makes the integrals above exact to quadrature error and fast
(~1 ms for 10 arms). scipy is a well-kept, widely deployed dependency of the function bundle.

Empirical-Bayes prior (optional, per experiment = per campaign's arms): method of moments on the
arms' observed rates x_k = c_k / n_k with pooled mean m = sum c / sum n. The between-arm
variance is var_between = max(0, var(x) - mean(sampling variance)) with sampling variance
m(1-m)/n_k (Beta) or m/n_k (Gamma); the prior's strength (pseudo exposure) is
m(1-m)/var_between - 1 (Beta) or m/var_between (Gamma), clipped to [2, 10% of the median arm's
exposure] so the campaign pulls thin arms towards itself without drowning well-measured ones.

Allocation advice: top-two Thompson sampling (Russo 2016). With probability beta an arm is
played with the chance it is best, otherwise the best of a second draw that differs from the
first; in closed form from the probabilities to be best p:
    w_k = beta p_k + (1 - beta) sum_{i != k} p_i p_k / (1 - p_i)
then every arm gets at least `floor` (iteratively, renormalised), as GrowthBook does (1%).

Sample-ratio mismatch: Pearson chi-square of the observed exposure per arm against the planned
split, k - 1 degrees of freedom; p < 0.001 blocks the decision (GrowthBook's default).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Literal

import numpy as np
import numpy.typing as npt


# scipy loads on the first computation, not with the module: the API imports this module for its
# experiment routes and would otherwise pay scipy on every cold start, whatever the request.
@cache
def _special() -> ModuleType:
    from scipy import special

    return special


@cache
def scipy_stats() -> ModuleType:
    from scipy import stats

    return stats


Array = npt.NDArray[np.float64]
Family = Literal["beta", "gamma"]

# Grid for the integrals, in standard-normal units of each arm's placement scale (see _grid):
# equal-probability points (the trapezoid error of an integral over dF shrinks with the mass per
# cell) and tail points out to 12 sd, where expected losses of skewed arms still live.
_CENTRE_POINTS = 28
_TAILS = np.array([3.0, 4.0, 5.5, 7.5, 10.0, 12.0])


@cache
def _z() -> Array:
    return np.sort(
        np.concatenate(
            [
                scipy_stats().norm.ppf((np.arange(_CENTRE_POINTS) + 0.5) / _CENTRE_POINTS),
                _TAILS,
                -_TAILS,
            ]
        )
    )


@dataclass(frozen=True)
class Posterior:
    """Posteriors of K arms (last axis); Beta(a, b) or Gamma(shape=a, rate=b)."""

    family: Family
    a: Array
    b: Array

    @property
    def mean(self) -> Array:
        if self.family == "beta":
            return self.a / (self.a + self.b)
        return self.a / self.b

    @property
    def var(self) -> Array:
        if self.family == "beta":
            s = self.a + self.b
            return self.a * self.b / (s * s * (s + 1.0))
        return self.a / (self.b * self.b)

    def cdf(self, x: Array) -> Array:
        """CDF at x; x broadcasts against the arm axis (x[..., k, :] for arm k's params)."""
        a, b = self.a[..., None], self.b[..., None]
        if self.family == "beta":
            return np.asarray(_special().betainc(a, b, np.clip(x, 0.0, 1.0)))
        return np.asarray(_special().gammainc(a, np.maximum(x, 0.0) * b))

    def ppf(self, q: float | Array) -> Array:
        if self.family == "beta":
            return np.asarray(_special().betaincinv(self.a, self.b, q))
        return np.asarray(_special().gammaincinv(self.a, q) / self.b)

    def interval(self, level: float = 0.95) -> tuple[Array, Array]:
        tail = (1.0 - level) / 2.0
        return self.ppf(tail), self.ppf(1.0 - tail)


def beta_posterior(
    successes: Array, trials: Array, prior: tuple[Array | float, Array | float] = (1.0, 1.0)
) -> Posterior:
    """Beta(a0 + successes, b0 + trials - successes)."""
    s = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    return Posterior("beta", prior[0] + s, prior[1] + np.maximum(n - s, 0.0))


def gamma_posterior(
    counts: Array, exposure: Array, prior: tuple[Array | float, Array | float] | None = None
) -> Posterior:
    """Gamma(a0 + counts, r0 + exposure); the weak prior is one pseudo-event over a negligible
    exposure (1e-6 of the mean arm's), so it never outweighs real data."""
    c = np.asarray(counts, dtype=float)
    e = np.asarray(exposure, dtype=float)
    if prior is None:
        scale = np.maximum(e.mean(axis=-1, keepdims=True), 1e-12)
        prior = (1.0, 1e-6 * scale)
    return Posterior("gamma", prior[0] + c, prior[1] + e)


def empirical_bayes_prior(
    family: Family, successes: Array, exposure: Array, *, max_strength_fraction: float = 0.1
) -> tuple[Array, Array] | None:
    """Method-of-moments prior from one experiment's arms (1-D arrays), or None when the arms
    cannot say anything (fewer than two arms with exposure, or no events at all)."""
    c = np.asarray(successes, dtype=float)
    n = np.asarray(exposure, dtype=float)
    seen = n > 0
    if seen.sum() < 2 or c[seen].sum() <= 0:
        return None
    c, n = c[seen], n[seen]
    m = c.sum() / n.sum()
    x = c / n
    sampling = m * (1.0 - m) / n if family == "beta" else m / n
    between = max(float(np.var(x) - sampling.mean()), 0.0)
    cap = max(2.0, max_strength_fraction * float(np.median(n)))
    if between <= 0.0:
        strength = cap
    elif family == "beta":
        strength = m * (1.0 - m) / between - 1.0
    else:
        strength = m / between
    strength = float(np.clip(strength, 2.0, cap))
    if family == "beta":
        return np.asarray(m * strength), np.asarray((1.0 - m) * strength)
    return np.asarray(m * strength), np.asarray(strength)


@dataclass(frozen=True)
class BestArm:
    """Per arm (last axis): probability to be best and the expected loss of choosing it."""

    prob_best: Array
    expected_loss: Array  # metric units, >= 0
    expected_best: Array  # E[max_j theta_j] (leading axes only)


def _grid(post: Posterior) -> Array:
    """The union of every arm's points, sorted, shape (..., K * len(_z()) + 2).

    Points are placed where each arm's mass is, on the scale where it is nearly normal: the
    logit for Beta (E = psi(a) - psi(b), Var = psi'(a) + psi'(b), exact moments) and the log
    for Gamma (E = psi(a) - log b, Var = psi'(a)); only the placement is approximate, the CDFs
    evaluated at the points are exact."""
    a, b = post.a[..., :, None], post.b[..., :, None]
    if post.family == "beta":
        loc = _special().digamma(a) - _special().digamma(b)
        scale = np.sqrt(_special().polygamma(1, a) + _special().polygamma(1, b))
        pts = _special().expit(loc + scale * _z())
    else:
        loc = _special().digamma(a) - np.log(b)
        scale = np.sqrt(_special().polygamma(1, a))
        pts = np.exp(loc + scale * _z())
    flat = pts.reshape(*pts.shape[:-2], -1)
    lo = np.zeros((*flat.shape[:-1], 1))
    top = 1.0 if post.family == "beta" else np.max(flat, axis=-1, keepdims=True) * 1.5
    hi = np.broadcast_to(top, lo.shape)
    return np.sort(np.concatenate([lo, flat, hi], axis=-1), axis=-1)


def _leave_one_out_products(f: Array) -> Array:
    """prod_{j != k} f[..., j, :] for every k, without dividing by zero: (..., K, X)."""
    ones = np.ones_like(f[..., :1, :])
    before = np.cumprod(np.concatenate([ones, f[..., :-1, :]], axis=-2), axis=-2)
    after = np.flip(
        np.cumprod(np.concatenate([ones, np.flip(f[..., 1:, :], axis=-2)], axis=-2), axis=-2),
        axis=-2,
    )
    return before * after


def _log_kernel(post: Posterior, x: Array, shift: float) -> Array:
    """log of x^(a+shift) (1-x)^b / ((a+shift) B(a+shift, b)) (Beta) or
    log of (bx)^(a+shift) e^(-bx) / Gamma(a+shift+1) (Gamma): the term by which the CDF of
    the arm with shape a+shift+1 differs from the one with shape a+shift (DLMF 8.17.20, 8.8.11),
    so moment-weighted CDFs cost no extra incomplete-function evaluations."""
    a = post.a + shift
    b = post.b
    with np.errstate(divide="ignore", invalid="ignore"):
        if post.family == "beta":
            const = (-np.log(a) - _special().betaln(a, b))[..., None]
            xc = np.clip(x, 0.0, 1.0)
            out = a[..., None] * np.log(xc) + b[..., None] * np.log1p(-xc) + const
        else:
            bx = np.maximum(x, 0.0) * b[..., None]
            out = a[..., None] * np.log(bx) - bx - _special().gammaln(a + 1.0)[..., None]
    return np.asarray(np.where(np.isnan(out), -np.inf, out))


def best_arm(post: Posterior, *, reciprocal: bool = False) -> BestArm:
    """Probability to be best (highest theta) and expected loss, by exact-CDF quadrature.

    E[max] uses x dF_{a,b}(x) = mean dF_{a+1,b}(x): the arm's contribution to E[max] is its mean
    times the same kind of integral as its probability to be best, over the CDF of the shape
    raised by one, which is as accurate as P(best) itself (no midpoint-in-x error in the tails).

    `reciprocal=True` scores the metric 1/theta (CPA from conversions per cost): the best arm is
    still the one with the highest theta, and the loss is E[1/theta_k] - E[1/max theta] with
    (1/x) dF_{a,r}(x) = r/(a-1) dF_{a-1,r}(x); infinite when no arm has shape > 1 (no finite
    expected CPA without conversions).
    """
    x = _grid(post)  # (..., X)
    xs = x[..., None, :]
    f = post.cdf(xs)  # (..., K, X)
    others = _leave_one_out_products(f)
    mid_others = 0.5 * (others[..., 1:] + others[..., :-1])
    p = np.sum(np.diff(f, axis=-1) * mid_others, axis=-1)
    p = p / np.sum(p, axis=-1, keepdims=True)
    if reciprocal:
        # F_{a-1} = F_a + kernel(a-1): valid for a > 1
        f_moment = np.minimum(f + np.exp(_log_kernel(post, xs, -1.0)), 1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            arm_value = np.where(post.a > 1.0, post.b / (post.a - 1.0), np.inf)
    else:
        f_moment = np.maximum(f - np.exp(_log_kernel(post, xs, 0.0)), 0.0)  # F_{a+1}
        arm_value = post.mean
    share = np.sum(np.diff(f_moment, axis=-1) * mid_others, axis=-1)
    with np.errstate(invalid="ignore"):
        contrib = np.where(np.isfinite(arm_value), arm_value * share, np.inf)
    if reciprocal:
        # E[1/max theta] = sum_k E[1/theta_k ; k best]; an arm without a finite mean makes it
        # infinite only if it can be best, which quadrature says through its share.
        contrib = np.where(np.isfinite(arm_value), contrib, np.where(p > 1e-9, np.inf, 0.0))
        best = np.sum(contrib, axis=-1)
        with np.errstate(invalid="ignore"):
            loss = np.maximum(arm_value - best[..., None], 0.0)
    else:
        best = np.sum(contrib, axis=-1)
        loss = np.maximum(best[..., None] - arm_value, 0.0)
    return BestArm(prob_best=p, expected_loss=loss, expected_best=best)


@dataclass(frozen=True)
class Draws:
    """Monte Carlo summary for ROAS (value per unit of cost), arms on the last axis."""

    mean: Array
    low: Array
    high: Array
    prob_best: Array
    expected_loss: Array


def roas_draws(
    conversions: Array,
    value: Array,
    cost: Array,
    *,
    seed: int,
    draws: int = 40_000,
    value_cv: float = 1.0,
    level: float = 0.95,
) -> Draws:
    """ROAS = lambda * vbar per arm (1-D arrays of sums), seeded; see the module docstring."""
    conv = np.asarray(conversions, dtype=float)
    val = np.asarray(value, dtype=float)
    cst = np.asarray(cost, dtype=float)
    rng = np.random.default_rng(seed)
    lam_post = gamma_posterior(conv, cst)
    pooled_aov = val.sum() / conv.sum() if conv.sum() > 0 else 1.0
    n = conv / (value_cv * value_cv)
    aov = np.where(conv > 0, val / np.maximum(conv, 1e-300), pooled_aov)
    v_shape = 1.0 + n
    v_rate = 1.0 / pooled_aov + n / aov
    k = conv.shape[-1]
    lam = rng.gamma(lam_post.a, 1.0 / lam_post.b, size=(draws, k))
    vbar = rng.gamma(v_shape, 1.0 / v_rate, size=(draws, k))
    roas = lam * vbar
    best_idx = np.argmax(roas, axis=1)
    prob = np.bincount(best_idx, minlength=k) / draws
    best = roas.max(axis=1)
    loss = (best[:, None] - roas).mean(axis=0)
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(roas, [tail, 1.0 - tail], axis=0)
    return Draws(roas.mean(axis=0), low, high, prob, loss)


def top_two_weights(prob_best: Array, *, beta: float = 0.5, floor: float = 0.01) -> Array:
    """Top-two Thompson sampling allocation from probabilities to be best, with a floor."""
    p = np.clip(np.asarray(prob_best, dtype=float), 0.0, 1.0)
    k = p.shape[-1]
    if k == 1:
        return np.ones_like(p)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(p < 1.0, p / (1.0 - p), 0.0)  # p_i / (1 - p_i)
    # sum_{i != k} p_i/(1-p_i) * p_k ; an arm certain to be best leaves the second pick to the
    # rest in proportion, which is the limit of the formula, handled by renormalising below.
    second = p * (share.sum(axis=-1, keepdims=True) - share)
    w = beta * p + (1.0 - beta) * second
    total = w.sum(axis=-1, keepdims=True)
    w = np.where(total > 0, w / np.where(total > 0, total, 1.0), 1.0 / k)
    floor = min(floor, 1.0 / k)
    for _ in range(k):  # raise arms below the floor, take it proportionally from the others
        low = w < floor
        if not low.any():
            break
        free = np.where(low, 0.0, w)
        need = 1.0 - floor * low.sum(axis=-1, keepdims=True)
        free_total = free.sum(axis=-1, keepdims=True)
        w = np.where(low, floor, free * need / np.where(free_total > 0, free_total, 1.0))
    return w


def srm_p_value(observed: Array, planned: Array) -> Array:
    """Pearson chi-square p-value of observed exposure per arm against the planned split."""
    obs = np.asarray(observed, dtype=float)
    share = np.asarray(planned, dtype=float)
    share = share / share.sum(axis=-1, keepdims=True)
    expected = obs.sum(axis=-1, keepdims=True) * share
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = np.where(expected > 0, (obs - expected) ** 2 / expected, 0.0).sum(axis=-1)
    return np.asarray(scipy_stats().chi2.sf(chi2, df=obs.shape[-1] - 1))


def pairwise_prob_greater(post: Posterior) -> Array:
    """P(theta_1 > theta_0) for two arms (last axis of length 2), exact quadrature."""
    return best_arm(post).prob_best[..., 1]


def separation(post: Posterior, leader: npt.NDArray[np.int_]) -> Array:
    """(mean_leader - mean_k) / sd(difference) per arm, a normal-approximation z used only to
    estimate how many more days would settle an arm (the decision itself uses exact numbers)."""
    mean, var = post.mean, post.var
    lead_mean = np.take_along_axis(mean, leader[..., None], axis=-1)
    lead_var = np.take_along_axis(var, leader[..., None], axis=-1)
    return np.asarray((lead_mean - mean) / np.sqrt(lead_var + var))
