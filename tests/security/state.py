"""The whole database as data, to prove that a refused request wrote nothing."""

from sqlalchemy import select

from lms.extensions import db


def database_state():
    """Every row of every table ({table: sorted row reprs}); ends the read so no lock is held."""
    state = {table.name: sorted(repr(tuple(row)) for row in db.session.execute(select(table)))
             for table in db.metadata.sorted_tables}
    db.session.commit()
    return state


def changed_tables(before, after):
    """{table: (rows before, rows after)} for every table whose contents differ."""
    return {name: (len(before[name]), len(after[name])) for name in before if before[name] != after[name]}
