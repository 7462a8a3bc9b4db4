"""email out: salutations (with their defaults), mailings and their recipients, do-not-contact, the digest setting

Revision ID: 0016_mailing
Revises: 0015_mailbox
Create Date: 2026-12-08 09:00:00

"""
from alembic import op
import sqlalchemy as sa

from crm.salutations.defaults import DEFAULT_SALUTATIONS

# revision identifiers, used by Alembic.
revision = '0016_mailing'
down_revision = '0015_mailbox'
branch_labels = None
depends_on = None


def upgrade():
    salutation = op.create_table(
        'salutation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('honorific', sa.String(length=40), nullable=False),
        sa.Column('category_id', sa.Integer(), nullable=True),
        sa.Column('text', sa.String(length=300), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_salutation_category_id_category'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_salutation_updated_by_id_user'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_salutation')),
        sa.UniqueConstraint('language', 'honorific', 'category_id', name='one_form'),
    )
    with op.batch_alter_table('salutation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_salutation_category_id'), ['category_id'], unique=False)

    op.create_table(
        'mailing',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('outreach_id', sa.Integer(), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('sender', sa.String(length=254), nullable=False),
        sa.Column('transport', sa.String(length=10), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_mailing_created_by_id_user'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['outreach_id'], ['outreach.id'], name=op.f('fk_mailing_outreach_id_outreach'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mailing')),
    )
    with op.batch_alter_table('mailing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mailing_outreach_id'), ['outreach_id'], unique=False)

    op.create_table(
        'mailing_recipient',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('mailing_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=True),
        sa.Column('address', sa.String(length=254), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('error', sa.Text(), nullable=False),
        sa.Column('message_id', sa.String(length=250), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['mailing_id'], ['mailing.id'], name=op.f('fk_mailing_recipient_mailing_id_mailing'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_mailing_recipient_participant_id_participant'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_mailing_recipient_person_id_person'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mailing_recipient')),
    )
    with op.batch_alter_table('mailing_recipient', schema=None) as batch_op:
        batch_op.create_index('ix_mailing_recipient_status', ['mailing_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_mailing_recipient_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mailing_recipient_person_id'), ['person_id'], unique=False)

    # Existing rows get the column's value through the server default, which then goes: the models
    # give the value on insert, as for every other flag.
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('do_not_contact', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_digest', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('digest_sent_on', sa.Date(), nullable=True))
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.alter_column('do_not_contact', server_default=None)
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('email_digest', server_default=None)

    _seed_salutations(salutation)


def _seed_salutations(salutation):
    """The default forms; a category-specific one only where that category exists (migration 0009 adds them)."""
    connection = op.get_bind()
    category = sa.table('category', sa.column('id', sa.Integer), sa.column('code', sa.String))
    codes = dict(connection.execute(sa.select(category.c.code, category.c.id)).all())
    rows = [
        {'language': language, 'honorific': honorific, 'category_id': codes.get(code) if code else None,
         'text': text, 'updated_at': _now()}
        for language, honorific, code, text in DEFAULT_SALUTATIONS
        if not code or code in codes
    ]
    if rows:
        connection.execute(salutation.insert(), rows)


def _now():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).replace(tzinfo=None)


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('digest_sent_on')
        batch_op.drop_column('email_digest')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('do_not_contact')
    with op.batch_alter_table('mailing_recipient', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mailing_recipient_person_id'))
        batch_op.drop_index(batch_op.f('ix_mailing_recipient_participant_id'))
        batch_op.drop_index('ix_mailing_recipient_status')
    op.drop_table('mailing_recipient')
    op.drop_table('mailing')
    with op.batch_alter_table('salutation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_salutation_category_id'))
    op.drop_table('salutation')
