"""campaign members: the people a campaign targets or names as supporters; bulk actions that add them

Revision ID: 0027_campaign_members
Revises: 0026_bulk_history
Create Date: 2026-12-07 12:45:00

"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0027_campaign_members"
down_revision = "0026_bulk_history"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "campaign_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("bulk_action_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("role IN ('target', 'supporter')", name=op.f("ck_campaign_member_known_role")),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["user.id"], name=op.f("fk_campaign_member_added_by_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_campaign_member_campaign_id_campaign"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_campaign_member_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_member")),
        sa.UniqueConstraint("campaign_id", "person_id", "role", name="uq_campaign_member_once_per_role"),
    )
    with op.batch_alter_table("campaign_member", schema=None) as batch_op:
        batch_op.create_index("ix_campaign_member_campaign_role", ["campaign_id", "role"], unique=False)
        batch_op.create_index(batch_op.f("ix_campaign_member_person_id"), ["person_id"], unique=False)

    with op.batch_alter_table("bulk_action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("campaign_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("campaign_name", sa.String(length=200), nullable=False, server_default=""))
        batch_op.create_foreign_key(
            batch_op.f("fk_bulk_action_campaign_id_campaign"), "campaign", ["campaign_id"], ["id"], ondelete="SET NULL"
        )


def downgrade():
    with op.batch_alter_table("bulk_action", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_bulk_action_campaign_id_campaign"), type_="foreignkey")
        batch_op.drop_column("campaign_name")
        batch_op.drop_column("campaign_id")

    with op.batch_alter_table("campaign_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_member_person_id"))
        batch_op.drop_index("ix_campaign_member_campaign_role")

    op.drop_table("campaign_member")
