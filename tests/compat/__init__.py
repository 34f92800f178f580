"""Differential tests: every scenario runs against our package and the official client 0.26.0."""
