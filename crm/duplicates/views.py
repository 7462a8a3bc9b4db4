"""Duplicate list and merge screen."""

from crm.duplicates.blueprint import bp  # noqa: F401
