"""bulk actions in each record's history: bulk_action_item indexed by the record

Revision ID: 0026_bulk_history
Revises: 0025_saved_lists
Create Date: 2026-12-07 13:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "0026_bulk_history"
down_revision = "0025_saved_lists"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("bulk_action_item", schema=None) as batch_op:
        batch_op.create_index("ix_bulk_action_item_item", ["item_id"], unique=False)


def downgrade():
    with op.batch_alter_table("bulk_action_item", schema=None) as batch_op:
        batch_op.drop_index("ix_bulk_action_item_item")
