"""selections: what each user has ticked on a list, and bulk actions with the records they changed

Revision ID: 0024_selections
Revises: 0023_latin_names
Create Date: 2026-12-07 09:40:00

"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0024_selections"
down_revision = "0023_latin_names"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "selection_item",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("item_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_selection_item_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "kind", "item_id", name=op.f("pk_selection_item")),
    )
    op.create_table(
        "bulk_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=True),
        sa.Column("tag_name", sa.String(length=60), nullable=False),
        sa.Column("selected", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user.id"], name=op.f("fk_bulk_action_actor_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["tag_id"], ["tag.id"], name=op.f("fk_bulk_action_tag_id_tag"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["undone_by_id"], ["user.id"], name=op.f("fk_bulk_action_undone_by_id_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulk_action")),
    )
    op.create_table(
        "bulk_action_item",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["bulk_action.id"],
            name=op.f("fk_bulk_action_item_action_id_bulk_action"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("action_id", "item_id", name=op.f("pk_bulk_action_item")),
    )


def downgrade():
    op.drop_table("bulk_action_item")
    op.drop_table("bulk_action")
    op.drop_table("selection_item")
