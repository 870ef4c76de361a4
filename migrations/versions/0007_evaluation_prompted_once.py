"""evaluation prompted once: evaluation_receipt.prompted_at

The dashboard and curriculum pages prompted for the training evaluation on every visit until the
learner answered or said "No thanks"; the evaluation is meant to be prompted once. A receipt now
also records when a page first showed the prompt, so a receipt may hold only that moment.

Revision ID: 0007_evaluation_prompted_once
Revises: 0006_name_search_keys
Create Date: 2026-12-05 14:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0007_evaluation_prompted_once'
down_revision = '0006_name_search_keys'
branch_labels = None
depends_on = None

CONSTRAINT = "ck_evaluation_receipt_state_recorded"
BEFORE = "declined_at IS NOT NULL OR submitted_at IS NOT NULL"
AFTER = "prompted_at IS NOT NULL OR declined_at IS NOT NULL OR submitted_at IS NOT NULL"


# Batch mode, so SQLite can change the check constraint (it copies the table). Safe here, unlike
# for "user" (see 0006): no table points at evaluation_receipt, so the copy deletes nothing.
def upgrade():
    with op.batch_alter_table("evaluation_receipt", recreate="auto") as batch_op:
        batch_op.add_column(sa.Column("prompted_at", sa.DateTime(), nullable=True))
        batch_op.drop_constraint(op.f(CONSTRAINT), type_="check")
        batch_op.create_check_constraint(op.f(CONSTRAINT), AFTER)


def downgrade():
    # A receipt that records only the prompt has no meaning before this revision.
    op.execute("DELETE FROM evaluation_receipt WHERE declined_at IS NULL AND submitted_at IS NULL")
    with op.batch_alter_table("evaluation_receipt", recreate="auto") as batch_op:
        batch_op.drop_constraint(op.f(CONSTRAINT), type_="check")
        batch_op.create_check_constraint(op.f(CONSTRAINT), BEFORE)
        batch_op.drop_column("prompted_at")
