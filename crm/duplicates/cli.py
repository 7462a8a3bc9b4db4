"""`flask --app wsgi crm duplicates`."""

from crm.cli import crm_cli  # noqa: F401
