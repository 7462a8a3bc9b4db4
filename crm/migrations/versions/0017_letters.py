"""letters: Word templates, merges, and the recipient a letter on an outreach entry was for (attachment.participant_id)

Revision ID: 0017_letters
Revises: 0016_mailing
Create Date: 2026-12-09 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_letters'
down_revision = '0016_mailing'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('letter_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('fields', sa.String(length=500), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_letter_template_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_letter_template_uploaded_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_template')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_letter_template_stored_name'))
    )
    with op.batch_alter_table('letter_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_template_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('letter_merge',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.Column('template_name', sa.String(length=200), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('letter_date', sa.Date(), nullable=False),
    sa.Column('fallback_language', sa.String(length=8), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('person_ids', sa.Text(), nullable=False),
    sa.Column('left_out', sa.Text(), nullable=False),
    sa.Column('letters', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('has_pdf', sa.Boolean(), nullable=False),
    sa.Column('pdf_note', sa.String(length=300), nullable=False),
    sa.Column('log_outreach', sa.Boolean(), nullable=False),
    sa.Column('outreach_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_letter_merge_campaign_id_campaign'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_letter_merge_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['outreach_id'], ['outreach.id'], name=op.f('fk_letter_merge_outreach_id_outreach'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['template_id'], ['letter_template.id'], name=op.f('fk_letter_merge_template_id_letter_template'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_merge'))
    )
    with op.batch_alter_table('letter_merge', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_merge_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letter_merge_outreach_id'), ['outreach_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letter_merge_template_id'), ['template_id'], unique=False)

    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participant_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_attachment_participant_id'), ['participant_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_attachment_participant_id_participant'), 'participant', ['participant_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_attachment_participant_id_participant'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_attachment_participant_id'))
        batch_op.drop_column('participant_id')

    with op.batch_alter_table('letter_merge', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_merge_template_id'))
        batch_op.drop_index(batch_op.f('ix_letter_merge_outreach_id'))
        batch_op.drop_index(batch_op.f('ix_letter_merge_campaign_id'))

    op.drop_table('letter_merge')
    with op.batch_alter_table('letter_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_template_campaign_id'))

    op.drop_table('letter_template')
