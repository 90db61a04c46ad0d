"""Prefect flows and deployments: the order of work and the schedules, nothing else.

Installed as `accord.flows` (see pyproject.toml); the domain in src/accord never imports Prefect.
"""
