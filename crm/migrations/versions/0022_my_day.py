"""my queue: a recipient's awaiting reply and a follow-up can be snoozed until a date

Revision ID: 0022_my_day
Revises: 0021_time_zone
Create Date: 2026-12-07 09:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022_my_day'
down_revision = '0021_time_zone'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snoozed_until', sa.Date(), nullable=True))
    with op.batch_alter_table('outreach', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follow_up_snoozed_until', sa.Date(), nullable=True))
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follow_up_snoozed_until', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_column('follow_up_snoozed_until')
    with op.batch_alter_table('outreach', schema=None) as batch_op:
        batch_op.drop_column('follow_up_snoozed_until')
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_column('snoozed_until')
