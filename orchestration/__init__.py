"""Orchestration: the Dagster definitions and the demo."""
