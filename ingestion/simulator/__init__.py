"""A simulated software organisation and the loopback server that serves it as GitHub, Jira and GitLab."""
