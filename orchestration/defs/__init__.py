"""Dagster definitions, one module per integration: ingestion (dlt), transform (dbt), quality (checks),
serving (the copy) and the report drawn from it."""
