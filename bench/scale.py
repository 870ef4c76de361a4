"""Scale of the trainer reads: the progress grid (lms.cohorts.grid.build of every row; the page, its
first 100 rows, and the CSV of every row, both through the test client), the item analysis, the
knowledge gain and the completion summary (lms.cohorts.reports) on one cohort of 100, 1,000 and
10,000 trainees: SQL statements (counted by an engine event listener) and time, in-process.
Also the certificate PDF (lms.certificates.pdf.render_certificate_pdf) and importing both curricula.

    .venv/bin/python -m bench.scale                      # SQLite file in the temp dir
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/lms_bench .venv/bin/python -m bench.scale
    .venv/bin/python -m bench.scale --explain            # query plans of every statement at the largest size

The statement count must not change with the cohort size, and time should grow no faster than the
number of trainees. It prints figures and asserts nothing (docs/performance.md has the results)."""

import argparse
import gc
import itertools
import os
import platform
import statistics
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, select

from bench import servers
from bench.client import percentile

REPORTS = ("grid", "grid page", "grid csv", "items", "gain", "completion")
SKIP = ("BEGIN", "SAVEPOINT", "RELEASE", "PRAGMA", "COMMIT", "ROLLBACK")


def make_app(url):
    from config import DevelopmentConfig
    from lms import create_app

    class ScaleConfig(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = url
        WTF_CSRF_ENABLED = False  # the page is fetched through the test client, logged in directly

    return create_app(ScaleConfig)


@contextmanager
def counting(engine):
    statements = []

    def before(_conn, _cursor, statement, parameters, _context, _executemany):
        if not statement.lstrip().upper().startswith(SKIP):
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def _report_call(name, cohort_id, client):
    """A function running one report on a cold session (the outline cache stays warm, as in a
    running server)."""
    from lms.cohorts import grid, reports
    from lms.cohorts.models import Cohort
    from lms.extensions import db
    from lms.learning.queries import curriculum_by_id, outline_for

    db.session.remove()
    cohort = db.session.get(Cohort, cohort_id)
    outline = outline_for(curriculum_by_id(cohort.curriculum_id))
    calls = {
        "grid": lambda: grid.build(cohort),
        "grid page": lambda: _page(client, f"/trainer/cohorts/{cohort_id}/progress"),
        "grid csv": lambda: _page(client, f"/trainer/cohorts/{cohort_id}/progress.csv"),
        "items": lambda: reports.item_analysis(cohort, reports.default_report_quiz(outline)),
        "gain": lambda: reports.knowledge_gain(cohort, outline),
        "completion": lambda: reports.completion_summary(cohort, outline),
    }
    return calls[name]


def _page(client, path):
    """GET `path` in its own app context (its own `g` and session), as a server runs each request."""
    with client.application.app_context():
        reply = client.get(path)
        if reply.status_code != 200:
            raise RuntimeError(f"GET {path}: HTTP {reply.status_code}")
        return reply.get_data()


def measure_reports(app, cohorts, runs, names):
    from lms.extensions import db

    client = app.test_client()
    with app.app_context():
        reply = client.post("/login", data={"email": servers.DEMO_TRAINER, "password": servers.DEMO_PASSWORD})
    if reply.status_code != 302:
        raise RuntimeError(f"the demo trainer could not log in (HTTP {reply.status_code})")
    results = {}
    for size, cohort_id in sorted(cohorts.items()):
        for name in names:
            times, counts = [], set()
            for _ in range(runs):
                # A GET request's context, as the page has: on SQLite it reads in a plain BEGIN
                # instead of taking the write lock (lms.core.database).
                with app.test_request_context():
                    call = _report_call(name, cohort_id, client)
                    with counting(db.engine) as statements:
                        started = time.perf_counter()
                        call()
                        times.append(time.perf_counter() - started)
                counts.add(len(statements))
            db.session.remove()
            results[(size, name)] = (sorted(counts), statistics.median(times), min(times))
            print(f"  {name:<11} {size:>6} trainees: {sorted(counts)} statements, "
                  f"median {statistics.median(times) * 1000:8.1f} ms (min {min(times) * 1000:.1f})", flush=True)
    return results


def print_report_table(results, sizes, names):
    print("\n| report | " + " | ".join(f"{size:,} trainees" for size in sizes) + " | statements | growth |")
    print("|---|" + "---|" * (len(sizes) + 2))
    for name in names:
        cells, counts = [], set()
        for size in sizes:
            count, median, _ = results[(size, name)]
            counts.update(count)
            cells.append(f"{median * 1000:,.0f} ms")
        growth = []
        for small, large in itertools.pairwise(sizes):
            ratio = results[(large, name)][1] / results[(small, name)][1]
            growth.append(f"x{ratio:.1f} for x{large // small}")
        print(f"| {name} | " + " | ".join(cells) + f" | {', '.join(map(str, sorted(counts)))} | {'; '.join(growth)} |")


def explain(app, cohort_id, names):
    """Every statement of each report at this cohort, with its plan: EXPLAIN QUERY PLAN on SQLite,
    EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL."""
    from lms.extensions import db

    client = app.test_client()
    dialect = db.engine.dialect.name
    seen = set()
    for name in names:
        if name in ("grid page", "grid csv"):
            continue
        with app.test_request_context():
            call = _report_call(name, cohort_id, client)
            with counting(db.engine) as statements:
                call()
        db.session.remove()
        print(f"\n=== {name}: {len(statements)} statements")
        for statement, parameters in statements:
            if statement in seen:
                continue
            seen.add(statement)
            prefix = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
            with db.engine.connect() as connection:
                plan = connection.exec_driver_sql(prefix + statement, parameters).all()
            print("\n" + " ".join(statement.split())[:600])
            for row in plan:
                print("    " + (row[-1] if dialect == "sqlite" else row[0]))


def measure_pdf(app, runs=30):
    from lms.certificates.models import Certificate
    from lms.certificates.pdf import render_certificate_pdf
    from lms.extensions import db

    certificate = db.session.scalar(select(Certificate).order_by(Certificate.id).limit(1))
    db.session.expunge(certificate)
    db.session.rollback()  # hold no transaction (on SQLite: no write lock) while rendering
    url = f"https://training.example.gov/verify/{certificate.display_code}"
    started = time.perf_counter()
    size = len(render_certificate_pdf(certificate, url))
    first = time.perf_counter() - started
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        render_certificate_pdf(certificate, url)
        times.append(time.perf_counter() - started)
    print(f"\ncertificate PDF ({size:,} bytes): first {first * 1000:.0f} ms, then median "
          f"{statistics.median(times) * 1000:.1f} ms, p95 {percentile(times, 95) * 1000:.1f} ms over {runs}")


def measure_import(runs=3):
    """Validate and import both curricula into an empty SQLite database, `runs` times."""
    from config import DevelopmentConfig
    from lms import create_app
    from lms.curricula.loader import load_all
    from lms.curricula.operations import import_curricula
    from lms.extensions import db
    from lms.learning.queries import clear_outline_cache

    loads, writes = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as scratch:
            class ImportConfig(DevelopmentConfig):
                SQLALCHEMY_DATABASE_URI = f"sqlite:///{Path(scratch) / 'import.sqlite3'}"

            app = create_app(ImportConfig)
            with app.app_context():
                db.create_all()
                started = time.perf_counter()
                specs = load_all(app.config["LMS_CURRICULA_DIR"])
                loaded = time.perf_counter()
                import_curricula(specs)
                db.session.commit()
                loads.append(loaded - started)
                writes.append(time.perf_counter() - loaded)
                db.session.remove()
                db.engine.dispose()
            clear_outline_cache()
    total = [a + b for a, b in zip(loads, writes, strict=True)]
    print(f"\nimporting both curricula into an empty SQLite database: median {statistics.median(total):.2f} s "
          f"(validate and render {statistics.median(loads):.2f} s, write {statistics.median(writes):.2f} s) "
          f"over {runs} runs")


def machine():
    load = os.getloadavg()
    return (f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
            f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="database URL (default: DATABASE_URL, else a SQLite file in the temp dir)")
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reports", default=",".join(REPORTS))
    parser.add_argument("--explain", action="store_true", help="print the plan of every statement at the largest size")
    parser.add_argument("--skip-pdf", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--gc-freeze", action="store_true",
                        help="gc.freeze() once the app is loaded, as bench/gunicorn_gc_freeze.py does in gunicorn")
    args = parser.parse_args()
    url = servers.database_url(args.database)
    sizes = [int(size) for size in args.sizes.split(",")]
    names = [name.strip() for name in args.reports.split(",") if name.strip()]
    print(f"bench.scale on {machine()}")
    cohorts = servers.prepare(url, sizes)
    app = make_app(url)
    if args.gc_freeze:
        gc.collect()
        gc.freeze()
        print(f"gc.freeze(): {gc.get_freeze_count():,} objects no longer scanned by the garbage collector")
    with app.app_context():
        if args.explain:
            explain(app, cohorts[max(sizes)], names)
            return
        print(f"\n{args.runs} runs per report and size; median wall time, statements per run:")
        results = measure_reports(app, cohorts, args.runs, names)
        print_report_table(results, sizes, names)
        if not args.skip_pdf:
            measure_pdf(app)
    if not args.skip_import:
        measure_import()
    print(f"\nfinished on {machine()}")


if __name__ == "__main__":
    main()
