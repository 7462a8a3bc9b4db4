"""Outreach screens."""

from crm.outreach.blueprint import bp  # noqa: F401
