"""report data version for the report cache; participant index for the campaign reports

Revision ID: 0007_report_cache
Revises: 0006_import_runs
Create Date: 2026-11-25 22:31:53.046246

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_report_cache'
down_revision = '0006_import_runs'
branch_labels = None
depends_on = None


def upgrade():
    # One row that every commit writing report data moves on (crm.reports.cache). It starts at a random
    # value so that a database created again never repeats versions a running app has cached reports under.
    version = op.create_table('report_data_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_data_version'))
    )
    op.bulk_insert(version, [{'id': 1, 'value': secrets.randbelow(2**62)}])

    # The reports read an entry's recipients and signatories from the index alone; its first column
    # serves every lookup by entry, so it replaces the plain outreach_id index.
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.create_index('ix_participant_outreach_report', ['outreach_id', 'role', 'person_id', 'organisation_id', 'replied_on'], unique=False)
        batch_op.drop_index(batch_op.f('ix_participant_outreach_id'))


def downgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participant_outreach_id'), ['outreach_id'], unique=False)
        batch_op.drop_index('ix_participant_outreach_report')

    op.drop_table('report_data_version')
