"""Bridges that push metrics to other monitoring systems (Graphite)."""
