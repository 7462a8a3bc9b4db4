"""when an import's uploaded file and its rows as they were were removed, after the retention period

Revision ID: 0013_import_files_kept
Revises: 0012_built_reports
Create Date: 2026-12-08 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_import_files_kept'
down_revision = '0012_built_reports'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('import_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('files_removed_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('import_run', schema=None) as batch_op:
        batch_op.drop_column('files_removed_at')
