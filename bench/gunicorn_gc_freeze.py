"""gunicorn settings file for `bench.http --gc-freeze`: after each worker has loaded the app, move
every object alive at that point (modules, SQLAlchemy mappers, Jinja templates: about 160,000) out
of the garbage collector's reach with gc.freeze(), so the full collections that large reports
trigger do not walk them again and again. docs/deployment.md shows the same hook for production."""

import gc


def post_worker_init(worker):
    gc.collect()
    gc.freeze()
