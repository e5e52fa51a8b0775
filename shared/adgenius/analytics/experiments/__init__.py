"""Experiments on creatives: Bayesian statistics, decisions, allocation advice."""
