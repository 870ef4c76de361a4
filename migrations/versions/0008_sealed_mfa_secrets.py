"""sealed two-step verification secrets: user.mfa_secret -> user.mfa_secret_sealed

The TOTP secrets of trainers and administrators were stored in clear, so anyone holding a copy of
the database or of a backup could generate their codes. They are now sealed with a key kept
outside the database (lms.auth.sealing: LMS_MFA_KEYS, else instance/mfa-sealing-key). The
upgrade seals every existing secret with that key; the downgrade opens them again, so it needs
the same key.

Revision ID: 0008_sealed_mfa_secrets
Revises: 0007_evaluation_prompted_once
Create Date: 2026-12-05 19:20:00

"""
import sqlalchemy as sa
from alembic import op

from lms.auth.sealing import seal, unseal

revision = '0008_sealed_mfa_secrets'
down_revision = '0007_evaluation_prompted_once'
branch_labels = None
depends_on = None


# No batch mode for "user" (see 0006): ADD COLUMN and DROP COLUMN work in place on SQLite and
# PostgreSQL, where a batch copy of the table would delete or blank the rows that point at it.
def upgrade():
    op.add_column("user", sa.Column("mfa_secret_sealed", sa.String(length=255), nullable=True))
    _convert("mfa_secret", "mfa_secret_sealed", seal)
    op.execute('ALTER TABLE "user" DROP COLUMN mfa_secret')


def downgrade():
    op.add_column("user", sa.Column("mfa_secret", sa.String(length=64), nullable=True))
    _convert("mfa_secret_sealed", "mfa_secret", unseal)
    op.execute('ALTER TABLE "user" DROP COLUMN mfa_secret_sealed')


def _convert(source, target, convert):
    users = sa.table("user", sa.column("id"), sa.column(source), sa.column(target))
    connection = op.get_bind()
    rows = connection.execute(sa.select(users.c.id, users.c[source]).where(users.c[source].is_not(None))).all()
    if rows:
        connection.execute(users.update().where(users.c.id == sa.bindparam("row_id"))
                           .values({target: sa.bindparam("value")}),
                           [{"row_id": row_id, "value": convert(value)} for row_id, value in rows])
