"""outreach performance: each reply carries its campaign; indexes for a contact's history and reply rate

Revision ID: 0005_outreach_perf
Revises: 0004_external_ids
Create Date: 2026-11-25 19:23:53.246254

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_outreach_perf'
down_revision = '0004_external_ids'
branch_labels = None
depends_on = None


def upgrade():
    # The dashboard's supporters to mobilise read a campaign's replies newest first: give each reply
    # its outreach entry's campaign (kept by record_response and update_outreach) and index it.
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('campaign_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_response_campaign_id_campaign'), 'campaign', ['campaign_id'], ['id'])

    op.execute(
        "UPDATE response SET campaign_id = "
        "(SELECT outreach.campaign_id FROM outreach WHERE outreach.id = response.outreach_id)"
    )
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.create_index('ix_response_campaign_recent', ['campaign_id', 'received_on', 'id'], unique=False)
        # A contact's replies newest first, without a sort or, on PostgreSQL, a hash of every outreach entry;
        # the first column replaces the plain party index.
        batch_op.create_index('ix_response_person_recent', ['person_id', 'received_on', 'id'], unique=False)
        batch_op.drop_index(batch_op.f('ix_response_person_id'))
        batch_op.create_index('ix_response_organisation_recent', ['organisation_id', 'received_on', 'id'], unique=False)
        batch_op.drop_index(batch_op.f('ix_response_organisation_id'))

    # A person's reply rate is counted from the index alone; its first column replaces the plain person_id index.
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.create_index('ix_participant_person_reply', ['person_id', 'role', 'reply_state'], unique=False)
        batch_op.drop_index(batch_op.f('ix_participant_person_id'))


def downgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participant_person_id'), ['person_id'], unique=False)
        batch_op.drop_index('ix_participant_person_reply')

    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_organisation_id'), ['organisation_id'], unique=False)
        batch_op.drop_index('ix_response_organisation_recent')
        batch_op.create_index(batch_op.f('ix_response_person_id'), ['person_id'], unique=False)
        batch_op.drop_index('ix_response_person_recent')
        batch_op.drop_index('ix_response_campaign_recent')
        batch_op.drop_constraint(batch_op.f('fk_response_campaign_id_campaign'), type_='foreignkey')
        batch_op.drop_column('campaign_id')
