"""a participant whose email from the CRM never arrived owes no reply, whatever recomputes the states

Revision ID: 0019_undelivered
Revises: 0018_agenda
Create Date: 2026-12-07 08:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_undelivered'
down_revision = '0018_agenda'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('undelivered', sa.Boolean(), server_default=sa.false(), nullable=False))
    # Those a failed send took out of the queue before this column existed.
    op.execute(
        "UPDATE participant SET undelivered = TRUE WHERE reply_state = 'none' AND id IN "
        "(SELECT participant_id FROM mailing_recipient WHERE status = 'failed' AND participant_id IS NOT NULL)"
    )


def downgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_column('undelivered')
