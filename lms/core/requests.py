"""Request hygiene shared by every view: bounded integer URL parts and no NUL characters."""

from flask import abort, request
from werkzeug.routing import IntegerConverter

#: The largest id any table can hold (a 32-bit INTEGER on PostgreSQL); larger ids can match nothing.
MAX_URL_INT = 2**31 - 1


class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>` that does not match numbers beyond the database's integer range, so such URLs 404."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_URL_INT)
        super().__init__(map, *args, **kwargs)


def refuse_nul_characters():
    """A NUL in a query or form value is never legitimate and PostgreSQL refuses it in text: 400."""
    for values in (request.args, request.form):
        for _key, value in values.items(multi=True):
            if "\x00" in value:
                abort(400)


def register_request_hygiene(app):
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.before_request(refuse_nul_characters)
