"""a contact's outreach entries paged from the index alone: the person index also holds each entry's outreach

Revision ID: 0020_person_history
Revises: 0019_undelivered
Create Date: 2026-12-07 09:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0020_person_history'
down_revision = '0019_undelivered'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_index('ix_participant_person_reply')
        batch_op.create_index(
            'ix_participant_person_history', ['person_id', 'role', 'reply_state', 'outreach_id', 'id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_index('ix_participant_person_history')
        batch_op.create_index('ix_participant_person_reply', ['person_id', 'role', 'reply_state'], unique=False)
