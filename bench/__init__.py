"""Benchmarks: a synthetic data set generator and the scale benchmark (not part of the site)."""
