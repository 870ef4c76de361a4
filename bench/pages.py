"""What one learner page costs the server, in-process: CPU time and SQL statements per request for
the lesson page, the learner dashboard and the curriculum page, as a learner part-way through a
1,000-trainee cohort, through Flask's test client (no network, no gunicorn). Two floor pages that
do no work of their own (one returns "ok", one the signed-in user's name) show what any request of
a signed-in learner costs before its view starts. Rounds alternate the
pages so that every page sees the same machine load; each figure is the median over rounds of the
mean CPU time of one round's requests.

    .venv/bin/python -m bench.pages                  # SQLite file in the temp dir (bench.http's)
    .venv/bin/python -m bench.pages --rounds 9 --requests 200
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/lms_bench .venv/bin/python -m bench.pages

bench.http measures the same pages over HTTP under load; this one shows where a change to a view
moves its cost, with less noise. It prints figures and asserts nothing."""

import argparse
import os
import statistics
import time

from bench import servers
from bench.http import CURRICULUM, first_lesson_path, pick_learner
from bench.scale import counting, make_app


def measure(client, path, requests):
    """Mean CPU seconds per request over `requests` GETs of `path`."""
    started = time.process_time()
    for _ in range(requests):
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}")
    return (time.process_time() - started) / requests


def statements_of(app, client, path):
    from lms.extensions import db

    with app.app_context(), counting(db.engine) as statements:
        client.get(path)
    return len(statements)


def add_floor_pages(app):
    """Two pages that do nothing of their own, to show what every request pays before a view does any
    work: the app's hooks, the session cookie, and (the second) loading the signed-in user."""
    from flask_login import current_user, login_required

    @app.route("/_bench/anonymous-floor")
    def anonymous_floor():
        return "ok"

    @app.route("/_bench/signed-in-floor")
    @login_required
    def signed_in_floor():
        return current_user.name


def log_in(client, email):
    response = client.post("/login", data={"email": email, "password": servers.DEMO_PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"could not log in as {email}: HTTP {response.status_code}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="database URL (default: DATABASE_URL, else a SQLite file in the temp dir)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=100, help="requests per page per round")
    args = parser.parse_args()
    url = servers.database_url(args.database)
    cohorts = servers.prepare(url, sizes=(1000,))
    email, lesson = pick_learner(url, cohorts[1000]), first_lesson_path(url)
    pages = {"lesson page": lesson, "dashboard": "/dashboard", "curriculum page": f"/curricula/{CURRICULUM}",
             "floor: no view": "/_bench/anonymous-floor", "floor: signed in": "/_bench/signed-in-floor"}
    app = make_app(url)
    add_floor_pages(app)
    client = app.test_client()
    log_in(client, email)
    for path in pages.values():  # warm the outline cache and the templates
        measure(client, path, 3)
    counts = {name: statements_of(app, client, path) for name, path in pages.items()}
    samples = {name: [] for name in pages}
    for _ in range(args.rounds):
        for name, path in pages.items():
            samples[name].append(measure(client, path, args.requests))
    print(f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; {args.rounds} rounds x {args.requests} requests; "
          f"database {url.split(':')[0]}")
    print(f"{'page':<16} {'CPU ms/request (median)':>24} {'min':>7} {'max':>7} {'statements':>11}")
    for name, values in samples.items():
        print(f"{name:<16} {statistics.median(values) * 1000:>24.2f} {min(values) * 1000:>7.2f} "
              f"{max(values) * 1000:>7.2f} {counts[name]:>11}")


if __name__ == "__main__":
    main()
