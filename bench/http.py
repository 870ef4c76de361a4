"""HTTP load benchmark: the LMS under gunicorn next to a bare WSGI "hello" app under the same
gunicorn settings, both driven by `wrk` from a separate process; requests per second and
p50/p95/p99 latency per page, each also as a ratio to the hello app measured in the same run.

    apt-get install -y wrk                      # Debian's wrk; never a downloaded binary
    .venv/bin/python -m bench.http              # SQLite file in the temp dir
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/lms_bench .venv/bin/python -m bench.http

Pages: a lesson (200, and the conditional GET answered 304), the learner dashboard, the trainer's
progress grid for cohorts of 100 / 1,000 / 10,000, the public verify page. Logged-in pages use a
session cookie from the real login form (CSRF token parsed from the page), passed to wrk with -H;
the demo trainer (exempt from two-step verification in development only) opens the grid.

Quiz start and submit change state (an attempt can be started three times per learner and quiz),
so a replayed wrk request cannot measure them: a stdlib client (threads + http.client, one
learner session per thread) starts an attempt, opens it and submits it, over and over, with fresh
learners of an upcoming cohort; the hello app is driven by the same client for that ratio.

The first run generates the data (once; later runs reuse it). Nothing is left running: both
servers stop at the end, on errors and on Ctrl+C. It prints figures and asserts nothing."""

import sys
from pathlib import Path

if __name__ == "__main__" and sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(Path(__file__).resolve().parent.parent)  # run as a script: do not hide the stdlib's http

import argparse
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass, field

from bench import servers
from bench.client import USER_AGENT, Session, csrf_token, median, percentile

LUA = Path(__file__).resolve().parent / "wrk_report.lua"
GC_FREEZE = Path(__file__).resolve().parent / "gunicorn_gc_freeze.py"
CURRICULUM = "casom-basic"
#: fresh learners per quiz client and run: 18 attempts each (six day-1 quizzes, three attempts);
#: gunicorn spreads connections unevenly over its workers, so one client may go three times as fast
LEARNERS_PER_QUIZ_CLIENT = 6


@dataclass
class Figures:
    rps: float
    p50: float | None
    p95: float | None
    p99: float | None
    errors: int
    requests: int
    notes: list = field(default_factory=list)


def machine():
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    memory = {}
    for line in Path("/proc/meminfo").read_text().splitlines():
        name, _, value = line.partition(":")
        memory[name] = int(value.split()[0]) // 1024
    return (f"{os.cpu_count()} CPUs (nproc), {memory.get('MemTotal', 0):,} MB memory "
            f"({memory.get('MemAvailable', 0):,} MB available), load average {load}")


def run_wrk(url, connections, duration, headers=(), expect="ok", threads=2):
    """One wrk run; the error count includes any response other than the one expected."""
    command = ["wrk", "-t", str(max(1, min(threads, connections))), "-c", str(connections), "-d", f"{duration}s",
               "--timeout", "60s", "-s", str(LUA), "-H", f"User-Agent: {USER_AGENT}"]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    data = json.loads(line.removeprefix("WRK_JSON "))
    answered = {"ok": data["ok"], "not_modified": data["not_modified"], "redirects": data["redirects"]}
    wrong = sum(count for kind, count in answered.items() if kind != expect)
    errors = wrong + data["failed"] + data["socket_errors"] + data["timeouts"]
    return Figures(data["requests"] / (data["duration_us"] / 1e6), data["p50_us"] / 1e6, data["p95_us"] / 1e6,
                   data["p99_us"] / 1e6, errors, data["requests"])


# --- quiz start and submit: a stdlib client --------------------------------------------------

_FIELD = re.compile(r'<input[^>]*name="(q\d+)"[^>]*value="(\d+)"')


def answer_form(html, token):
    """The attempt form filled in: the first choice shown for every question, then Submit."""
    form = {"csrf_token": token, "submit": "Submit answers for grading"}
    for name, value in _FIELD.findall(html):
        form.setdefault(name, value)
    return form


class QuizWorker(threading.Thread):
    """Start, open and submit attempts with this worker's own learners until the deadline."""

    def __init__(self, port, learners, quiz_keys, duration, barrier):
        super().__init__(daemon=True)
        self.port, self.learners, self.quiz_keys = port, learners, quiz_keys
        self.duration, self.barrier = duration, barrier
        self.deadline = None
        self.start_times, self.page_times, self.submit_times = [], [], []
        self.errors = []
        self.exhausted = False

    def run(self):
        sessions = []
        for email in self.learners:
            session = Session("127.0.0.1", self.port)
            session.login(email, servers.DEMO_PASSWORD)
            sessions.append((session, csrf_token(session.get("/dashboard").body)))
        self.barrier.wait()
        self.deadline = time.perf_counter() + self.duration
        try:
            for session, token in sessions:
                for quiz_key in self.quiz_keys:
                    for _ in range(3):  # max_attempts of a module quiz
                        if time.perf_counter() >= self.deadline:
                            return
                        self._one_attempt(session, token, quiz_key)
            self.exhausted = True  # a benchmark limit, not an error of the app
        finally:
            for session, _ in sessions:
                session.close()

    def _one_attempt(self, session, token, quiz_key):
        start = session.post(f"/curricula/{CURRICULUM}/quizzes/{quiz_key}/start", {"csrf_token": token})
        if start.status != 302 or not start.location.startswith("/attempts/"):
            self.errors.append(f"start {quiz_key}: HTTP {start.status} -> {start.location}")
            return
        self.start_times.append(start.seconds)
        page = session.get(start.location)
        if page.status != 200:
            self.errors.append(f"attempt page: HTTP {page.status}")
            return
        self.page_times.append(page.seconds)
        submit = session.post(start.location, answer_form(page.body, token))
        if submit.status != 302 or not submit.location.endswith("/results"):
            self.errors.append(f"submit: HTTP {submit.status} -> {submit.location}")
            return
        self.submit_times.append(submit.seconds)


class HelloWorker(threading.Thread):
    def __init__(self, port, duration, barrier):
        super().__init__(daemon=True)
        self.port, self.duration, self.barrier = port, duration, barrier
        self.times, self.errors = [], []

    def run(self):
        session = Session("127.0.0.1", self.port)
        self.barrier.wait()
        end = time.perf_counter() + self.duration
        while time.perf_counter() < end:
            reply = session.get("/")
            (self.times if reply.status == 200 else self.errors).append(reply.seconds)
        session.close()


def run_quiz_client(port, learners, quiz_keys, clients, duration):
    per_client = [learners[index::clients] for index in range(clients)]
    barrier = threading.Barrier(clients + 1)
    workers = [QuizWorker(port, mine, quiz_keys, duration, barrier) for mine in per_client]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    errors = [error for worker in workers for error in worker.errors]
    exhausted = sum(worker.exhausted for worker in workers)
    if exhausted:
        print(f"      note: {exhausted} client(s) used up their fresh learners before the end of the run")
    result = {}
    for name in ("start", "page", "submit"):
        times = [t for worker in workers for t in getattr(worker, f"{name}_times")]
        result[name] = Figures(len(times) / elapsed, percentile(times, 50), percentile(times, 95),
                               percentile(times, 99), len(errors), len(times), errors[:3])
    return result


def run_hello_client(port, clients, duration):
    barrier = threading.Barrier(clients + 1)
    workers = [HelloWorker(port, duration, barrier) for _ in range(clients)]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    times = [t for worker in workers for t in worker.times]
    errors = sum(len(worker.errors) for worker in workers)
    return Figures(len(times) / elapsed, percentile(times, 50), percentile(times, 95), percentile(times, 99),
                   errors, len(times))


# --- data for the scenarios ------------------------------------------------------------------

def pick_learner(url, cohort_id):
    """A learner of the cohort part-way through, with lessons read and the curriculum not complete."""
    return servers.rows(url, """
        SELECT u.email FROM enrollment e JOIN "user" u ON u.id = e.user_id
        WHERE e.cohort_id = :cohort AND e.completed_at IS NULL
          AND (SELECT count(*) FROM lesson_progress p WHERE p.enrollment_id = e.id) >= 10
        ORDER BY e.id LIMIT 1""", cohort=cohort_id)[0][0]


def first_lesson_path(url):
    module, lesson = servers.rows(url, """
        SELECT m.key, l.key FROM lesson l JOIN module m ON m.id = l.module_id
        JOIN curriculum c ON c.id = m.curriculum_id
        WHERE c.key = :key AND l.retired_at IS NULL ORDER BY m.position, l.position LIMIT 1""", key=CURRICULUM)[0]
    return f"/curricula/{CURRICULUM}/modules/{module}/lessons/{lesson}"


def day_one_quiz_keys(url):
    return [key for (key,) in servers.rows(url, """
        SELECT q.key FROM quiz q JOIN module m ON m.id = q.module_id JOIN day d ON d.id = m.day_id
        JOIN curriculum c ON c.id = q.curriculum_id
        WHERE c.key = :key AND d.number = 1 AND m.retired_at IS NULL ORDER BY m.position""", key=CURRICULUM)]


def certificate_code(url):
    code = servers.scalar(url, "SELECT code FROM certificate WHERE revoked_at IS NULL ORDER BY id LIMIT 1")
    return "CASOM-" + "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def check_page(session, path, expect_text):
    reply = session.get(path)
    if reply.status != 200 or expect_text not in reply.body:
        raise RuntimeError(f"GET {path}: HTTP {reply.status} -> {reply.location}; not the page expected")
    return reply


# --- the run ---------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="database URL (default: DATABASE_URL, else a SQLite file in the temp dir)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for both apps")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread) for both apps")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario; the tables show medians")
    parser.add_argument("--grid-connections", type=int, default=2)
    parser.add_argument("--grid-sizes", default="100,1000,10000")
    parser.add_argument("--quiz-clients", type=int, default=16)
    parser.add_argument("--skip-quiz", action="store_true")
    parser.add_argument("--gc-freeze", action="store_true",
                        help="gc.freeze() in each LMS worker after start-up (bench/gunicorn_gc_freeze.py)")
    parser.add_argument("--compare-gc-freeze", action="store_true",
                        help="serve the LMS twice, without and with gc.freeze(), and alternate every page between "
                             "them, so both see the same machine load (quiz runs skipped)")
    parser.add_argument("--only", help="page names to run, separated by semicolons (e.g. 'hello;dashboard')")
    args = parser.parse_args()
    args.skip_quiz = args.skip_quiz or args.compare_gc_freeze
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    url = servers.database_url(args.database)
    sizes = [int(size) for size in args.grid_sizes.split(",")]
    print(f"bench.http: {machine()}")
    print(f"gunicorn --workers {args.workers} --threads {args.threads} (gthread) for both apps"
          f"{', gc.freeze() in the LMS workers' if args.gc_freeze else ''}; wrk -c "
          f"{args.connections} -d {args.duration}s, {args.runs} runs; database {url.split('@')[-1]}\n")
    cohorts = servers.prepare(url, sorted(set(sizes) | {1000}))
    learner, lesson, code = pick_learner(url, cohorts[1000]), first_lesson_path(url), certificate_code(url)
    quiz_keys = day_one_quiz_keys(url)
    per_run = args.quiz_clients * LEARNERS_PER_QUIZ_CLIENT
    quiz_learners = [] if args.skip_quiz else servers.upcoming_learners(
        url, per_run * args.runs, f"q{int(time.time())}")
    results = {}

    def record(name, figures):
        results.setdefault(name, []).append(figures)
        print(f"  {name:<26} {figures.rps:8.1f} req/s  p50 {ms(figures.p50)}  p95 {ms(figures.p95)}  "
              f"p99 {ms(figures.p99)}  errors {figures.errors}", flush=True)

    log_dir = Path(servers.DEFAULT_SQLITE).parent
    variants = [("", GC_FREEZE if args.gc_freeze else None)]
    if args.compare_gc_freeze:
        variants = [("", None), (" + gc.freeze", GC_FREEZE)]
    with contextlib.ExitStack() as stack:
        hello = stack.enter_context(servers.Gunicorn("bench.hello_wsgi:app", workers=args.workers,
                                                     threads=args.threads))
        lms_servers = [(suffix, stack.enter_context(servers.Gunicorn(
            "wsgi:app", url, workers=args.workers, threads=args.threads, config=config,
            log=log_dir / f"lms-gunicorn{index}.log"))) for index, (suffix, config) in enumerate(variants)]
        lms = lms_servers[0][1]
        base = f"http://127.0.0.1:{lms.port}"
        reader = Session("127.0.0.1", lms.port)
        reader.login(learner, servers.DEMO_PASSWORD)
        etag = check_page(reader, lesson, "lesson-body").headers.get("ETag")
        check_page(reader, "/dashboard", "My training")
        page_cookie = f"Cookie: {reader.cookie_header()}"
        for run in range(1, args.runs + 1):
            print(f"run {run} of {args.runs} ({machine()})")
            trainer = Session("127.0.0.1", lms.port)
            trainer.login(servers.DEMO_TRAINER, servers.DEMO_PASSWORD)
            for size in sizes:
                check_page(trainer, f"/trainer/cohorts/{cohorts[size]}/progress", "<table")
            staff_cookie = f"Cookie: {trainer.cookie_header()}"
            scenarios = [
                ("hello", f"http://127.0.0.1:{hello.port}/", args.connections, [], "ok"),
                ("lesson page", base + lesson, args.connections, [page_cookie], "ok"),
                ("lesson page, 304", base + lesson, args.connections, [page_cookie, f"If-None-Match: {etag}"],
                 "not_modified"),
                ("dashboard", base + "/dashboard", args.connections, [page_cookie], "ok"),
                ("verify page", f"{base}/verify/{code}", args.connections, [], "ok"),
                *[(f"trainer grid, {size:,}", f"{base}/trainer/cohorts/{cohorts[size]}/progress",
                   args.grid_connections, [staff_cookie], "ok") for size in sizes],
            ]
            if args.only:
                wanted = {name.strip() for name in args.only.split(";")}
                scenarios = [scenario for scenario in scenarios if scenario[0] in wanted]
            for name, target, connections, headers, expect in scenarios:
                duration = args.duration * (2 if "10,000" in name else 1)
                if name == "hello":
                    record(name, run_wrk(target, connections, duration, headers, expect))
                    continue
                for suffix, server in lms_servers:  # one login serves both: same key, same database
                    served = target.replace(f":{lms.port}/", f":{server.port}/")
                    record(name + suffix, run_wrk(served, connections, duration, headers, expect))
        if not args.skip_quiz:
            for run in range(args.runs):
                print(f"quiz run {run + 1} of {args.runs} ({args.quiz_clients} clients, stdlib client)")
                mine = quiz_learners[run * per_run:(run + 1) * per_run]
                record("hello (stdlib client)", run_hello_client(hello.port, args.quiz_clients, args.duration))
                quiz = run_quiz_client(lms.port, mine, quiz_keys, args.quiz_clients, args.duration)
                for step in ("start", "page", "submit"):
                    record(f"quiz {step}", quiz[step])
                    for note in quiz[step].notes:
                        print("     ", note)
                        break
        reader.close()
    print_table(results, args)
    print(f"\nfinished: {machine()}")


def ms(seconds):
    return "    -   " if seconds is None else f"{seconds * 1000:7.1f}ms"


def print_table(results, args):
    hello = median([f.rps for f in results.get("hello", [])])
    hello_client = median([f.rps for f in results.get("hello (stdlib client)", [])])
    print("\n| page | conn. | req/s | p50 ms | p95 ms | p99 ms | errors | ratio to hello | runs |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, runs in results.items():
        yardstick = hello_client if name.startswith(("quiz", "hello (stdlib")) else hello
        rps = median([f.rps for f in runs])
        connections = args.quiz_clients if name.startswith(("quiz", "hello (stdlib")) else (
            args.grid_connections if name.startswith("trainer grid") else args.connections)
        cells = [f"{rps:,.1f}"] + [f"{median([getattr(f, p) for f in runs]) * 1000:,.1f}"
                                   if median([getattr(f, p) for f in runs]) is not None else "-"
                                   for p in ("p50", "p95", "p99")]
        ratio = f"{rps / yardstick:.1%}" if yardstick else "-"
        errors = sum(f.errors for f in runs)
        print(f"| {name} | {connections} | " + " | ".join(cells) + f" | {errors} | {ratio} | "
              f"{len(runs)} |")
    spread = [f.rps for f in results.get("hello", [])]
    if len(spread) > 1:
        print(f"\nhello req/s over the runs: {', '.join(f'{v:,.0f}' for v in spread)} "
              f"(spread {statistics.pstdev(spread) / statistics.mean(spread):.0%}: the machine is shared)")


if __name__ == "__main__":
    main()
