"""Benchmarks, load tests and profiles: ``make bench`` runs them all (bench/run.py)."""
