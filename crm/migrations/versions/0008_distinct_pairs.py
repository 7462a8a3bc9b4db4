"""pairs of people marked as not the same person, which the duplicate list leaves out

Revision ID: 0008_distinct_pairs
Revises: 0007_report_cache
Create Date: 2026-11-26 10:37:32.515203

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_distinct_pairs'
down_revision = '0007_report_cache'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('distinct_pair',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('low_id', sa.Integer(), nullable=False),
    sa.Column('high_id', sa.Integer(), nullable=False),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.Column('marked_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('low_id < high_id', name=op.f('ck_distinct_pair_ordered')),
    sa.ForeignKeyConstraint(['high_id'], ['person.id'], name=op.f('fk_distinct_pair_high_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['low_id'], ['person.id'], name=op.f('fk_distinct_pair_low_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['marked_by_id'], ['user.id'], name=op.f('fk_distinct_pair_marked_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_distinct_pair')),
    sa.UniqueConstraint('low_id', 'high_id', name=op.f('uq_distinct_pair_low_id'))
    )
    with op.batch_alter_table('distinct_pair', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_distinct_pair_high_id'), ['high_id'], unique=False)



def downgrade():
    with op.batch_alter_table('distinct_pair', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_distinct_pair_high_id'))

    op.drop_table('distinct_pair')
