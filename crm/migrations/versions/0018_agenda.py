"""calendar: each staff member's feed (its token's hash and choices); meeting times and places on outreach

Revision ID: 0018_agenda
Revises: 0017_letters
Create Date: 2026-12-15 09:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0018_agenda'
down_revision = '0017_letters'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'calendar_feed',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=True),
        sa.Column('all_campaigns', sa.Boolean(), nullable=False),
        sa.Column('issued_at', sa.DateTime(), nullable=True),
        sa.Column('last_read_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_calendar_feed_user_id_user'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feed')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feed_token_hash')),
        sa.UniqueConstraint('user_id', name=op.f('uq_calendar_feed_user_id')),
    )
    # Existing entries get an empty place through the server default, which then goes: the model gives it.
    with op.batch_alter_table('outreach', schema=None) as batch_op:
        batch_op.add_column(sa.Column('starts_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('ends_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('location', sa.String(length=300), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_outreach_starts_at'), ['starts_at'], unique=False)
    with op.batch_alter_table('outreach', schema=None) as batch_op:
        batch_op.alter_column('location', server_default=None)


def downgrade():
    with op.batch_alter_table('outreach', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outreach_starts_at'))
        batch_op.drop_column('location')
        batch_op.drop_column('ends_at')
        batch_op.drop_column('starts_at')
    op.drop_table('calendar_feed')
