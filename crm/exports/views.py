"""Export downloads."""

from crm.exports.blueprint import bp  # noqa: F401
