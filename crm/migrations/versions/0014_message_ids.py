"""the Message-ID of the email sent to each recipient, for threading replies

Revision ID: 0014_message_ids
Revises: 0013_import_files_kept
Create Date: 2026-12-07 07:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_message_ids'
down_revision = '0013_import_files_kept'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.String(length=250), nullable=True))
        batch_op.create_index(batch_op.f('ix_participant_message_id'), ['message_id'], unique=False)


def downgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participant_message_id'))
        batch_op.drop_column('message_id')
