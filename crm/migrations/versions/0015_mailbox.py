"""email in: every received message once (keyed by Message-ID), the people it names, and the triage list

Revision ID: 0015_mailbox
Revises: 0014_message_ids
Create Date: 2026-12-07 06:28:59.895136

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_mailbox'
down_revision = '0014_message_ids'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('received_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_key', sa.String(length=250), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('origin', sa.String(length=20), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('from_address', sa.String(length=254), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('outreach_id', sa.Integer(), nullable=True),
    sa.Column('response_id', sa.Integer(), nullable=True),
    sa.Column('filed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['filed_by_id'], ['user.id'], name=op.f('fk_received_message_filed_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['outreach_id'], ['outreach.id'], name=op.f('fk_received_message_outreach_id_outreach'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_received_message_response_id_response'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_received_message')),
    sa.UniqueConstraint('message_key', name=op.f('uq_received_message_message_key'))
    )
    with op.batch_alter_table('received_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_received_message_outreach_id'), ['outreach_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_received_message_response_id'), ['response_id'], unique=False)

    op.create_table('received_message_person',
    sa.Column('received_message_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_received_message_person_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['received_message_id'], ['received_message.id'], name=op.f('fk_received_message_person_received_message_id_received_message'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('received_message_id', 'person_id', name=op.f('pk_received_message_person'))
    )
    with op.batch_alter_table('received_message_person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_received_message_person_person_id'), ['person_id'], unique=False)

    op.create_table('triage_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('received_message_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('from_name', sa.String(length=200), nullable=False),
    sa.Column('from_address', sa.String(length=254), nullable=False),
    sa.Column('recipients', sa.Text(), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('attachment_names', sa.Text(), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['received_message_id'], ['received_message.id'], name=op.f('fk_triage_message_received_message_id_received_message'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['user.id'], name=op.f('fk_triage_message_resolved_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_triage_message')),
    sa.UniqueConstraint('received_message_id', name=op.f('uq_triage_message_received_message_id')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_triage_message_stored_name'))
    )
    with op.batch_alter_table('triage_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_triage_message_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_triage_message_from_address'), ['from_address'], unique=False)
        batch_op.create_index(batch_op.f('ix_triage_message_state'), ['state'], unique=False)



def downgrade():
    with op.batch_alter_table('triage_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_triage_message_state'))
        batch_op.drop_index(batch_op.f('ix_triage_message_from_address'))
        batch_op.drop_index(batch_op.f('ix_triage_message_created_at'))

    op.drop_table('triage_message')
    with op.batch_alter_table('received_message_person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_received_message_person_person_id'))

    op.drop_table('received_message_person')
    with op.batch_alter_table('received_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_received_message_response_id'))
        batch_op.drop_index(batch_op.f('ix_received_message_outreach_id'))

    op.drop_table('received_message')
