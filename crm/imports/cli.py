"""`flask --app wsgi crm import` and `undo-import`."""

from crm.cli import crm_cli  # noqa: F401
