"""Benchmarks, run by `make bench`. They report ratios measured in one run, never pass/fail."""
