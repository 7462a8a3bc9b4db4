"""job state in tables: an import's preview and the duplicate scan

They were files under instance/ (imports/<id>/preview.json and preview.running, duplicates.json),
which a team deployment would have had to share between its machines. Those files are no longer
read and may be deleted; a preview or scan under way while upgrading is simply asked for again.

Revision ID: 0011_job_state
Revises: 0010_sign_ins
Create Date: 2026-12-07 03:31:53

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_job_state'
down_revision = '0010_sign_ins'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('duplicate_scan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.Column('found', sa.JSON(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duplicate_scan'))
    )
    op.create_table('import_preview',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('summary', sa.JSON(), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['import_run.id'], name=op.f('fk_import_preview_run_id_import_run'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('run_id', name=op.f('pk_import_preview'))
    )


def downgrade():
    op.drop_table('import_preview')
    op.drop_table('duplicate_scan')
