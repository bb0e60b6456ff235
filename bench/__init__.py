"""Benchmarks and data generators (not tests); ``bench.settings`` serves the baselines."""
