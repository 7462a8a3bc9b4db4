"""Campaign screens."""

from crm.campaigns.blueprint import bp  # noqa: F401
