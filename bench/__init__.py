"""Benchmarks, each runnable as a script (`python bench/overhead.py`); a package so the
tests import `bench.genvault` like any module."""
