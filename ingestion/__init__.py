"""Extraction: dlt sources for GitHub, Jira and GitLab, the HTTP client they share, and their dlt pipeline."""
