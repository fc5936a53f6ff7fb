"""Orchestration: the Dagster definitions, the refresh command and the serving copy."""
