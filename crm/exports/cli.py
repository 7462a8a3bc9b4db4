"""`flask --app wsgi crm export`."""

from crm.cli import crm_cli  # noqa: F401
