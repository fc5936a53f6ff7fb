"""A simulated software organisation, the loopback server that serves it as GitHub, Jira and GitLab, and the demo.

A test double, not part of the installed package: the demo, the tests and the benchmarks import
it from the repository root.
"""
