"""stop waiting: the day staff stopped waiting for one recipient's reply

Revision ID: 0029_stop_waiting
Revises: 0028_people_search_index
Create Date: 2026-12-07 13:25:00

"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0029_stop_waiting"
down_revision = "0028_people_search_index"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stopped_waiting_on", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_column("stopped_waiting_on")
