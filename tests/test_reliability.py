def test_the_chi_squared_interval_is_scipy_stats_own():
    """reliability computes chi2 quantiles through scipy.special (a lighter import): the same numbers as chi2.ppf."""
    from scipy.stats import chi2

    from accord.reliability import _chi2_interval

    for dof in (0.5, 1.0, 2.5, 7.0, 40.25, 300.0):
        for alpha in (0.05, 0.1, 0.01):
            assert _chi2_interval(alpha, dof) == (chi2.ppf(alpha / 2, dof), chi2.ppf(1 - alpha / 2, dof))
