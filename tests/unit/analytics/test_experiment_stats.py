"""Golden tests of the experiment statistics against closed forms and scipy's integration."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, special
from scipy import stats as sps

from adgenius.analytics.experiments import stats

TOL = 1e-3


def miller_prob_b_beats_a(a_a: float, b_a: float, a_b: float, b_b: float) -> float:
    """Evan Miller's exact sum for P(p_B > p_A) with Beta posteriors (integer a_b)."""
    i = np.arange(int(a_b))
    logs = (
        special.betaln(a_a + i, b_a + b_b)
        - np.log(b_b + i)
        - special.betaln(1 + i, b_b)
        - special.betaln(a_a, b_a)
    )
    return float(np.exp(logs).sum())


def miller_gamma_b_beats_a(a_a: float, r_a: float, a_b: float, r_b: float) -> float:
    """Evan Miller's exact sum for P(lambda_B > lambda_A), Gamma(shape, rate), integer a_b."""
    k = np.arange(int(a_b))
    logs = (
        a_a * np.log(r_a)
        + k * np.log(r_b)
        - (k + a_a) * np.log(r_a + r_b)
        - np.log(k + a_a)
        - special.betaln(k + 1, a_a)
    )
    return float(np.exp(logs).sum())


def quad_expected_loss_beta(a: np.ndarray, b: np.ndarray, k: int) -> float:
    """E[max(theta_other - theta_k, 0)] for two Beta arms by scipy.integrate.quad, using
    int_x^1 t f(t) dt = mean (1 - I_x(a+1, b))."""
    o = 1 - k
    mean_o = a[o] / (a[o] + b[o])

    def integrand(x: float) -> float:
        tail_mean = mean_o * (1 - special.betainc(a[o] + 1, b[o], x))
        tail_p = 1 - special.betainc(a[o], b[o], x)
        return float(sps.beta.pdf(x, a[k], b[k]) * (tail_mean - x * tail_p))

    lo, hi = sps.beta.ppf([1e-15, 1 - 1e-15], a[k], b[k])
    mode = a[k] / (a[k] + b[k])
    return float(integrate.quad(integrand, lo, hi, points=[mode], limit=500, epsabs=1e-12)[0])


BETA_CASES = [
    (20, 1000, 30, 1000),
    (200, 10_000, 230, 10_000),
    (3, 50, 400, 20_000),  # thin vs fat arm
    (0, 10, 1, 10),  # almost no data (skewed posteriors)
    (2000, 100_000, 2100, 100_000),
    (5, 100, 0, 1000),
    (1, 30, 50, 60),  # far apart
]


@pytest.mark.parametrize(("c_a", "n_a", "c_b", "n_b"), BETA_CASES)
def test_two_beta_arms_match_the_closed_form_and_quadrature(
    c_a: int, n_a: int, c_b: int, n_b: int
) -> None:
    post = stats.beta_posterior(np.array([c_a, c_b]), np.array([n_a, n_b]))
    assert post.a.tolist() == [1 + c_a, 1 + c_b]  # Beta(1 + clicks, 1 + non-clicks)
    assert post.b.tolist() == [1 + n_a - c_a, 1 + n_b - c_b]
    best = stats.best_arm(post)
    exact = miller_prob_b_beats_a(post.a[0], post.b[0], post.a[1], post.b[1])
    assert best.prob_best[1] == pytest.approx(exact, abs=TOL)
    assert best.prob_best[0] == pytest.approx(1 - exact, abs=TOL)
    for k in (0, 1):
        assert best.expected_loss[k] == pytest.approx(
            quad_expected_loss_beta(post.a, post.b, k), abs=TOL * max(1e-3, post.mean[k])
        )


def test_credible_interval_and_mean_are_the_beta_quantiles() -> None:
    post = stats.beta_posterior(np.array([37.0]), np.array([1500.0]))
    low, high = post.interval(0.95)
    ref = sps.beta(38, 1464)
    assert low[0] == pytest.approx(ref.ppf(0.025), rel=1e-9)
    assert high[0] == pytest.approx(ref.ppf(0.975), rel=1e-9)
    assert post.mean[0] == pytest.approx(38 / 1502)


@pytest.mark.parametrize(
    ("c_a", "e_a", "c_b", "e_b"),
    [(12, 400.0, 19, 410.0), (3, 1000.0, 9, 900.0), (150, 5e4, 170, 5e4)],
)
def test_two_gamma_arms_match_the_closed_form(c_a: int, e_a: float, c_b: int, e_b: float) -> None:
    post = stats.gamma_posterior(np.array([c_a, c_b]), np.array([e_a, e_b]), prior=(1.0, 0.0))
    best = stats.best_arm(post)
    exact = miller_gamma_b_beats_a(post.a[0], post.b[0], post.a[1], post.b[1])
    assert best.prob_best[1] == pytest.approx(exact, abs=TOL)


def test_many_arms_match_scipy_integration() -> None:
    clicks = np.array([40.0, 52.0, 47.0, 10.0, 61.0])
    imps = np.array([2000.0, 2100.0, 1900.0, 300.0, 2500.0])
    post = stats.beta_posterior(clicks, imps)
    best = stats.best_arm(post)
    for k in range(5):

        def integrand(x: float, k: int = k) -> float:
            others = [sps.beta.cdf(x, post.a[j], post.b[j]) for j in range(5) if j != k]
            return float(sps.beta.pdf(x, post.a[k], post.b[k]) * np.prod(others))

        lo, hi = sps.beta.ppf([1e-14, 1 - 1e-14], post.a[k], post.b[k])
        ref = integrate.quad(integrand, lo, hi, limit=500, epsabs=1e-12)[0]
        assert best.prob_best[k] == pytest.approx(ref, abs=TOL)
    # E[max] by integration: int (1 - prod F) dx on [0, 1]
    e_max = integrate.quad(
        lambda x: 1 - np.prod([sps.beta.cdf(x, post.a[j], post.b[j]) for j in range(5)]),
        0,
        1,
        points=list(post.mean),
        limit=500,
    )[0]
    # losses within 1e-4 of the metric's own size (here ~1e-6 absolute on a CTR of ~2%)
    assert best.expected_best == pytest.approx(e_max, abs=1e-4 * e_max)
    assert best.expected_loss == pytest.approx(e_max - post.mean, abs=1e-4 * e_max)


def test_cpa_is_lower_is_better_through_conversions_per_cost() -> None:
    conv = np.array([40.0, 55.0])
    cost = np.array([2000.0, 2000.0])  # CPA 50 vs ~36: B is better
    post = stats.gamma_posterior(conv, cost, prior=(1.0, 0.0))
    best = stats.best_arm(post, reciprocal=True)
    exact = miller_gamma_b_beats_a(post.a[0], post.b[0], post.a[1], post.b[1])
    assert best.prob_best[1] == pytest.approx(exact, abs=TOL)
    # E[CPA] = rate / (shape - 1) (inverse Gamma); loss = E[CPA_k] - E[min CPA] by quadrature
    cpa_mean = post.b / (post.a - 1)
    # E[min CPA] = int_0^inf P(min > y) dy
    e_min_cpa = integrate.quad(
        lambda y: (
            (1 - sps.invgamma.cdf(y, post.a[0], scale=post.b[0]))
            * (1 - sps.invgamma.cdf(y, post.a[1], scale=post.b[1]))
        ),
        0,
        np.inf,
        limit=500,
    )[0]
    assert best.expected_loss == pytest.approx(cpa_mean - e_min_cpa, abs=1e-4 * e_min_cpa)
    assert best.expected_loss[1] < best.expected_loss[0]


def test_roas_monte_carlo_matches_the_exact_gamma_when_values_are_certain() -> None:
    conv = np.array([30.0, 42.0])
    cost = np.array([1000.0, 1000.0])
    value = conv * 50.0  # every conversion worth exactly 50
    mc = stats.roas_draws(conv, value, cost, seed=7, draws=1_000_000, value_cv=1e-4)
    exact = miller_gamma_b_beats_a(1 + 30, 1e-6 * 1000 + 1000, 1 + 42, 1e-6 * 1000 + 1000)
    assert mc.prob_best[1] == pytest.approx(exact, abs=TOL)
    assert mc.mean == pytest.approx(50 * (1 + conv) / (cost + 1e-3), rel=1e-3)
    one = stats.roas_draws(conv, value, cost, seed=7, draws=10_000)
    again = stats.roas_draws(conv, value, cost, seed=7, draws=10_000)
    assert again.prob_best.tolist() == one.prob_best.tolist()  # seeded: reproducible
    assert again.low.tolist() == one.low.tolist()


def test_batches_give_the_same_numbers_as_single_experiments() -> None:
    clicks = np.array([[20.0, 30.0], [200.0, 230.0], [5.0, 0.0]])
    imps = np.array([[1000.0, 1000.0], [10_000.0, 10_000.0], [100.0, 1000.0]])
    batch = stats.best_arm(stats.beta_posterior(clicks, imps))
    for i in range(3):
        one = stats.best_arm(stats.beta_posterior(clicks[i], imps[i]))
        assert batch.prob_best[i] == pytest.approx(one.prob_best, abs=1e-12)
        assert batch.expected_loss[i] == pytest.approx(one.expected_loss, abs=1e-12)


def test_empirical_bayes_prior_shrinks_thin_arms_towards_the_campaign() -> None:
    clicks = np.array([200.0, 210.0, 190.0, 205.0, 4.0])
    imps = np.array([10_000.0, 10_000.0, 10_000.0, 10_000.0, 100.0])  # thin arm at 4% CTR
    prior = stats.empirical_bayes_prior("beta", clicks, imps)
    assert prior is not None
    pooled = clicks.sum() / imps.sum()
    assert prior[0] / (prior[0] + prior[1]) == pytest.approx(pooled)
    shrunk = stats.beta_posterior(clicks, imps, prior).mean
    weak = stats.beta_posterior(clicks, imps).mean
    assert abs(shrunk[4] - pooled) < 0.5 * abs(weak[4] - pooled)  # the thin arm moved a lot
    assert shrunk[0] == pytest.approx(weak[0], rel=0.1)  # a well-measured arm barely moved
    assert stats.empirical_bayes_prior("beta", np.array([5.0]), np.array([10.0])) is None


def test_top_two_weights_follow_the_closed_form_and_respect_the_floor() -> None:
    p = np.array([0.7, 0.2, 0.1])
    w = stats.top_two_weights(p, beta=0.5, floor=0.0)
    expect = [
        0.5 * p[k] + 0.5 * sum(p[i] * p[k] / (1 - p[i]) for i in range(3) if i != k)
        for k in range(3)
    ]
    assert w == pytest.approx(expect)
    assert w.sum() == pytest.approx(1.0)
    # by simulation of the top-two procedure itself (independent of the formula)
    rng = np.random.default_rng(3)
    first = rng.choice(3, size=200_000, p=p)
    second = rng.choice(3, size=(200_000, 40), p=p)
    alt = np.array([row[row != f][0] for row, f in zip(second, first, strict=True)])
    pick = np.where(rng.random(200_000) < 0.5, first, alt)
    assert np.bincount(pick, minlength=3) / 200_000 == pytest.approx(expect, abs=5e-3)
    floored = stats.top_two_weights(np.array([0.999, 0.001, 0.0]), floor=0.05)
    assert floored.min() == pytest.approx(0.05)
    assert floored.sum() == pytest.approx(1.0)


def test_srm_p_value_is_pearsons_chi_square() -> None:
    obs = np.array([5000.0, 5400.0])
    ref = sps.chisquare(obs, f_exp=[5200.0, 5200.0]).pvalue
    assert stats.srm_p_value(obs, np.array([0.5, 0.5])) == pytest.approx(ref)
    assert stats.srm_p_value(np.array([1000.0, 2000.0]), np.array([1.0, 2.0])) == pytest.approx(1)
