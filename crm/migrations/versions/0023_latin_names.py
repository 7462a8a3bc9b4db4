"""people known only by a Cyrillic name get the Latin form in their name fields, the Cyrillic kept as native_name

Revision ID: 0023_latin_names
Revises: 0022_my_day
Create Date: 2026-12-07 09:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

from crm.contacts.latin_names import has_cyrillic, latin_form
from crm.folding import search_document, sort_key


# revision identifiers, used by Alembic.
revision = '0023_latin_names'
down_revision = '0022_my_day'
branch_labels = None
depends_on = None

person = sa.table(
    'person',
    sa.column('id', sa.Integer),
    sa.column('version', sa.Integer),
    sa.column('given_name', sa.String),
    sa.column('patronymic', sa.String),
    sa.column('family_name', sa.String),
    sa.column('native_name', sa.String),
    sa.column('search_text', sa.Text),
    sa.column('sort_key', sa.String),
)
NAMES = ('given_name', 'patronymic', 'family_name', 'native_name')
LIMITS = {'given_name': 100, 'patronymic': 100, 'family_name': 100, 'native_name': 200}


def upgrade():
    """The names as crm.contacts.people.own_columns now writes them; the sort key from them and
    the Latin words added to the search text (its emails and organisations stay as they are).
    The version moves on, so an edit form opened on the Cyrillic fields is a conflict, not a
    silent return to them."""
    connection = op.get_bind()
    rows = connection.execute(sa.select(person.c.id, person.c.version, person.c.search_text,
                                        *(person.c[name] for name in NAMES))).all()
    changes = []
    for row in rows:
        names = tuple(getattr(row, name) or '' for name in NAMES)
        if not any(has_cyrillic(name) for name in names):
            continue
        latin = latin_form(*names)
        if latin == names:
            continue
        values = {name: value[:LIMITS[name]] for name, value in zip(NAMES, latin)}
        words = (row.search_text or '').split()
        words += [word for word in search_document(*latin).split() if word not in set(words)]
        values['search_text'] = ' ' + ' '.join(words) + ' '
        values['sort_key'] = sort_key(values['family_name'] or values['native_name'], values['given_name'],
                                      values['patronymic'])
        changes.append({'row_id': row.id, 'row_version': row.version + 1,
                        **{f'new_{name}': value for name, value in values.items()}})
    if changes:
        connection.execute(
            person.update().where(person.c.id == sa.bindparam('row_id')).values(
                version=sa.bindparam('row_version'),
                **{name: sa.bindparam(f'new_{name}') for name in (*NAMES, 'search_text', 'sort_key')},
            ),
            changes,
        )


def downgrade():
    # The Cyrillic is kept in native_name, and the Latin form is a name like any other: nothing to undo.
    pass
