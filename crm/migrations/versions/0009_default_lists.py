"""the default categories, organisation types, outreach kinds and response outcomes

A database built by `db upgrade` alone (a team deployment, without the demo) had none of
them, so an import with a Category column refused every row. Entries already there (matched
by code or by name, as crm.taxonomy.service.ensure_defaults matches them) are left alone.

Revision ID: 0009_default_lists
Revises: 0008_distinct_pairs
Create Date: 2026-12-07 01:40:00

"""
from alembic import op
import sqlalchemy as sa

from crm.taxonomy import defaults

# revision identifiers, used by Alembic.
revision = '0009_default_lists'
down_revision = '0008_distinct_pairs'
branch_labels = None
depends_on = None


def _table(name, *extra):
    return sa.table(
        name, sa.column('id', sa.Integer), sa.column('name', sa.String), sa.column('code', sa.String),
        sa.column('position', sa.Integer), *extra,
    )


LISTS = (
    (_table('category', sa.column('description', sa.String)), defaults.DEFAULT_CATEGORIES, lambda entry: {'description': ''}),
    (_table('organisation_type'), defaults.DEFAULT_ORGANISATION_TYPES, lambda entry: {}),
    (_table('outreach_kind', sa.column('reply_after_days', sa.Integer)), defaults.DEFAULT_OUTREACH_KINDS,
     lambda entry: {'reply_after_days': entry[2]}),
    (_table('response_outcome', sa.column('effect', sa.String)), defaults.DEFAULT_OUTCOMES,
     lambda entry: {'effect': entry[2]}),
)


def upgrade():
    connection = op.get_bind()
    for table, entries, extra in LISTS:
        present = connection.execute(sa.select(table.c.code, table.c.name)).all()
        codes = {code for code, _name in present}
        names = {name.lower() for _code, name in present}
        missing = [
            {'name': entry[0], 'code': entry[1], 'position': position, **extra(entry)}
            for position, entry in enumerate(entries)
            if entry[1] not in codes and entry[0].lower() not in names
        ]
        if missing:
            op.bulk_insert(table, missing)


def downgrade():
    # The lists are data staff may have renamed and used: going back leaves them in place.
    pass
