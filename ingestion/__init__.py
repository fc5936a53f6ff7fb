"""Extraction: dlt sources for GitHub, Jira and GitLab, and the simulated organisation they are tested against."""
