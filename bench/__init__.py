"""Headway's benchmark: generated data at scale, timed server-side rendering, a table of results.

Run it with `make bench` (or `python -m bench.run --help`). See bench/README.md.
"""
