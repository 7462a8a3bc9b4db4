"""each staff member reads and types times in their own time zone

Revision ID: 0021_time_zone
Revises: 0020_person_history
Create Date: 2026-12-07 09:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021_time_zone'
down_revision = '0020_person_history'
branch_labels = None
depends_on = None


def upgrade():
    # Empty for every account: they keep the app's zone (CRM_TIMEZONE) until they choose one.
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('time_zone')
