"""The import wizard."""

from crm.imports.blueprint import bp  # noqa: F401
