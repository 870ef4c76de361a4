"""gunicorn settings file for `bench.http --gc-freeze`: after each worker has loaded the app, move
every object alive at that point (modules, SQLAlchemy mappers, Jinja templates: about 160,000) out
of the garbage collector's reach with gc.freeze(), so the full collections that large reports
trigger do not walk them again and again. Measured (docs/performance.md): large grids 1.5 to 2 times
faster, small learner pages 8 to 15% slower; docs/deployment.md says where it is worth it."""

import gc


def post_worker_init(worker):
    gc.collect()
    gc.freeze()
