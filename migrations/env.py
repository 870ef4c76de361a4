"""Alembic environment: the app's engine and metadata, through Flask-Migrate."""

import logging
from contextlib import contextmanager
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    # Only when run from the command line: inside tests or the app, keep their logging as it is.
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db
config.set_main_option("sqlalchemy.url", target_db.engine.url.render_as_string(hide_password=False).replace("%", "%%"))


def run_migrations_offline():
    """Emit SQL to standard output instead of running it."""
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_db.metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def _skip_empty_autogenerate(context_, revision, directives):
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


@contextmanager
def _sqlite_foreign_keys_deferred_to_the_end(connection):
    """On SQLite, Alembic's batch mode rebuilds a table (copy, drop, rename). With foreign keys on,
    dropping the old table fails when rows point at it, or deletes them (ON DELETE CASCADE). So
    the migrations run with enforcement off, as SQLite's documentation prescribes for table
    rebuilds, and every foreign key is checked before the transaction commits."""
    if connection.dialect.name != "sqlite":
        yield lambda: None
        return
    raw = connection.connection.driver_connection  # the PRAGMA only works outside a transaction
    raw.execute("PRAGMA foreign_keys = OFF")

    def check():
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
        if broken:
            raise RuntimeError(f"migration left rows pointing at missing rows (table, rowid, parent): {broken[:10]}")
    try:
        yield check
    finally:
        raw.execute("PRAGMA foreign_keys = ON")


def run_migrations_online():
    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", _skip_empty_autogenerate)
    with target_db.engine.connect() as connection, _sqlite_foreign_keys_deferred_to_the_end(connection) as check:
        context.configure(connection=connection, target_metadata=target_db.metadata, **conf_args)
        with context.begin_transaction():
            context.run_migrations()
            check()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
