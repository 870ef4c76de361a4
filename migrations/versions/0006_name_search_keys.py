"""name search keys: user.name_key and certificate.learner_name_key

SQLite's lower() changes ASCII letters only, so an administrator searching for "ŋa" or "chloe"
never found "Ŋa" or "Chloé". Each name now has a folded copy (lms.core.text.search_key: no
accents, case-folded) that searches compare with, the same on SQLite and PostgreSQL.

Revision ID: 0006_name_search_keys
Revises: 0005_evaluations
Create Date: 2026-12-05 09:40:00

"""
import sqlalchemy as sa
from alembic import op

from lms.core.text import SEARCH_KEY_LENGTH, search_key

revision = '0006_name_search_keys'
down_revision = '0005_evaluations'
branch_labels = None
depends_on = None

KEYS = (("user", "name", "name_key"), ("certificate", "learner_name", "learner_name_key"))


# No batch mode: on SQLite it copies and drops the table, and dropping "user" deletes (CASCADE) or
# blanks (SET NULL) the rows that point at it, or fails. ADD COLUMN and DROP COLUMN work in place
# on SQLite (3.35+) and PostgreSQL; a NOT NULL column added in place needs a default, which
# SQLite cannot drop again, so it stays there; the app always writes the key itself.
def upgrade():
    connection = op.get_bind()
    for table, name_column, key_column in KEYS:
        op.add_column(table, sa.Column(key_column, sa.String(length=SEARCH_KEY_LENGTH), nullable=False,
                                       server_default=""))
        _fill(connection, table, name_column, key_column)
        if connection.dialect.name != "sqlite":
            op.alter_column(table, key_column, server_default=None)


def _fill(connection, table, name_column, key_column):
    rows = sa.table(table, sa.column("id"), sa.column(name_column), sa.column(key_column))
    names = connection.execute(sa.select(rows.c.id, rows.c[name_column])).all()
    if names:
        connection.execute(rows.update().where(rows.c.id == sa.bindparam("row_id"))
                           .values({key_column: sa.bindparam("key")}),
                           [{"row_id": row_id, "key": search_key(name)} for row_id, name in names])


def downgrade():
    for table, _, key_column in reversed(KEYS):
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN {key_column}')
