"""saved lists: a people-list filter kept under a name for the team, live (its query string) or frozen (its people)

Revision ID: 0025_saved_lists
Revises: 0024_selections
Create Date: 2026-12-16 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0025_saved_lists"
down_revision = "0024_selections"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('saved_list',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('name_key', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('query', sa.Text(), nullable=False),
    sa.Column('person_count', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('live', 'frozen')", name=op.f('ck_saved_list_known_kind')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_saved_list_owner_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_list')),
    sa.UniqueConstraint('name_key', name=op.f('uq_saved_list_name_key'))
    )
    with op.batch_alter_table('saved_list', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_list_owner_id'), ['owner_id'], unique=False)

    op.create_table('saved_list_member',
    sa.Column('saved_list_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('merged_from_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_saved_list_member_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['saved_list_id'], ['saved_list.id'], name=op.f('fk_saved_list_member_saved_list_id_saved_list'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('saved_list_id', 'person_id', name=op.f('pk_saved_list_member'))
    )
    with op.batch_alter_table('saved_list_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_list_member_person_id'), ['person_id'], unique=False)



def downgrade():
    with op.batch_alter_table('saved_list_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_list_member_person_id'))

    op.drop_table('saved_list_member')
    with op.batch_alter_table('saved_list', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_list_owner_id'))

    op.drop_table('saved_list')
