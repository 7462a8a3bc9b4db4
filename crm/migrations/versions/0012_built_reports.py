"""built reports kept in the database, shared by every worker, with the state of their background rebuild

Until now each web worker kept the reports it built in its own memory and rebuilt them in threads
of its own; now one row per report serves them all, and rebuilds are jobs of the job queue.

Revision ID: 0012_built_reports
Revises: 0011_job_state
Create Date: 2026-12-08 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_built_reports'
down_revision = '0011_job_state'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('built_report',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('data_version', sa.BigInteger(), nullable=False),
    sa.Column('day', sa.Date(), nullable=True),
    sa.Column('report', sa.Text(), nullable=False),
    sa.Column('counted_at', sa.DateTime(), nullable=False),
    sa.Column('build_seconds', sa.Float(), nullable=False),
    sa.Column('rebuild_requested_at', sa.DateTime(), nullable=True),
    sa.Column('rebuild_started_at', sa.DateTime(), nullable=True),
    sa.Column('rebuild_failed', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_built_report'))
    )


def downgrade():
    op.drop_table('built_report')
