"""stop waiting: the day staff stopped waiting for one recipient's reply

Revision ID: 0028_stop_waiting
Revises: 0027_campaign_members
Create Date: 2026-12-07 13:25:00

"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0028_stop_waiting"
down_revision = "0027_campaign_members"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stopped_waiting_on", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_column("stopped_waiting_on")
