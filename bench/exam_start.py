"""Exam start: N learners (default 300) of a class start the same quiz (the pre-test, at the start of
Day 1) at the same moment and submit it at the same moment, each in their own session, against the
app under gunicorn. Prints errors, lost or duplicated attempts (the database is checked afterwards)
and the start and submit latencies (p50/p95/p99/max).

    .venv/bin/python -m bench.exam_start                       # SQLite file in the temp dir
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/lms_bench .venv/bin/python -m bench.exam_start

Every run uses fresh learners (an upcoming cohort made with `flask demo generate --upcoming`):
each may take the pre-test once. Threads and a barrier release every start together; a second
barrier releases every submit together, the worst case. The server is always stopped."""

import argparse
import statistics
import threading
import time
from collections import Counter

from bench import servers
from bench.client import Session, csrf_token, percentile
from bench.http import answer_form, machine

CURRICULUM = "casom-basic"
BARRIER_TIMEOUT = 900


class Learner(threading.Thread):
    def __init__(self, port, email, quiz_key, login_gate, barriers):
        super().__init__(daemon=True)
        self.port, self.email, self.quiz_key = port, email, quiz_key
        self.login_gate, self.barriers = login_gate, barriers
        self.start_seconds = self.submit_seconds = None
        self.attempt_path = None
        self.submitted = False
        self.errors = []

    def _wait(self, index):
        try:
            self.barriers[index].wait(BARRIER_TIMEOUT)
        except threading.BrokenBarrierError:
            self.errors.append(f"barrier {index} broken")

    def run(self):
        session = Session("127.0.0.1", self.port, timeout=BARRIER_TIMEOUT)
        token = None
        try:
            with self.login_gate:  # logins (scrypt, on purpose slow) are not what is measured
                session.login(self.email, servers.DEMO_PASSWORD)
                token = csrf_token(session.get(f"/curricula/{CURRICULUM}/quizzes/{self.quiz_key}").body)
        except Exception as error:  # noqa: BLE001 - reported, and the thread still meets the barriers
            self.errors.append(f"login: {error}")
        self._wait(0)
        if token:
            self._start(session, token)
        self._wait(1)
        if self.attempt_path:
            self._submit(session, token)
        session.close()

    def _start(self, session, token):
        try:
            reply = session.post(f"/curricula/{CURRICULUM}/quizzes/{self.quiz_key}/start", {"csrf_token": token})
        except OSError as error:
            self.errors.append(f"start: {type(error).__name__}")
            return
        self.start_seconds = reply.seconds
        if reply.status != 302 or not reply.location.startswith("/attempts/"):
            self.errors.append(f"start: HTTP {reply.status} -> {reply.location}")
            return
        page = session.get(reply.location)
        if page.status != 200:
            self.errors.append(f"attempt page: HTTP {page.status}")
            return
        self.attempt_path, self.form = reply.location, answer_form(page.body, token)

    def _submit(self, session, token):
        try:
            reply = session.post(self.attempt_path, self.form)
        except OSError as error:
            self.errors.append(f"submit: {type(error).__name__}")
            return
        self.submit_seconds = reply.seconds
        if reply.status != 302 or not reply.location.endswith("/results"):
            self.errors.append(f"submit: HTTP {reply.status} -> {reply.location}")
            return
        self.submitted = True


def check_database(url, emails, quiz_key, tag):
    """Per learner: attempts at the quiz, submitted ones, answers, from the database itself."""
    found = servers.rows(url, """
        SELECT u.email, a.id, a.state, a.score, (SELECT count(*) FROM answer x WHERE x.attempt_id = a.id)
        FROM "user" u JOIN enrollment e ON e.user_id = u.id JOIN curriculum c ON c.id = e.curriculum_id
        JOIN quiz q ON q.curriculum_id = c.id AND q.key = :quiz
        LEFT JOIN attempt a ON a.enrollment_id = e.id AND a.quiz_id = q.id
        WHERE c.key = :curriculum AND u.email LIKE :pattern""",
        quiz=quiz_key, curriculum=CURRICULUM, pattern=f"%.{tag}%@generated.example.org")
    wanted = set(emails)
    attempts = {}
    for email, attempt_id, state, score, answers in found:
        if email in wanted:
            attempts.setdefault(email, [])
            if attempt_id is not None:
                attempts[email].append((state, score, answers))
    return attempts


def run_once(url, port, count, quiz_key, tag, login_concurrency):
    emails = servers.upcoming_learners(url, count, tag, echo=lambda *_: None)
    gate = threading.Semaphore(login_concurrency)
    barriers = [threading.Barrier(count + 1), threading.Barrier(count + 1)]
    learners = [Learner(port, email, quiz_key, gate, barriers) for email in emails]
    for learner in learners:
        learner.start()
    barriers[0].wait(BARRIER_TIMEOUT)
    released = time.perf_counter()
    barriers[1].wait(BARRIER_TIMEOUT)
    all_started = time.perf_counter() - released
    released = time.perf_counter()
    for learner in learners:
        learner.join(BARRIER_TIMEOUT)
    all_submitted = time.perf_counter() - released
    attempts = check_database(url, emails, quiz_key, tag)
    started_ok = {learner.email for learner in learners if learner.attempt_path}
    submitted_ok = {learner.email for learner in learners if learner.submitted}
    lost = sorted(email for email in started_ok if not attempts.get(email))
    duplicated = sorted(email for email, rows in attempts.items() if len(rows) > 1)
    unsubmitted = sorted(email for email in submitted_ok
                         if not any(state == "submitted" and score is not None for state, score, _ in attempts[email]))
    short = sorted(email for email, rows in attempts.items() for _, _, answers in rows if answers == 0)
    errors = Counter(error.split(":")[0] + ": " + error.split(":", 1)[1].strip()[:60]
                     for learner in learners for error in learner.errors)
    starts = [learner.start_seconds for learner in learners if learner.start_seconds is not None]
    submits = [learner.submit_seconds for learner in learners if learner.submit_seconds is not None]
    return {"learners": count, "errors": sum(errors.values()), "error_kinds": errors, "lost": len(lost),
            "duplicated": len(duplicated), "unsubmitted": len(unsubmitted), "without_answers": len(short),
            "starts": starts, "submits": submits, "all_started": all_started, "all_submitted": all_submitted}


def describe(result):
    def line(name, values):
        if not values:
            return f"  {name}: none"
        return (f"  {name:<7} n={len(values)}  p50 {percentile(values, 50) * 1000:7.0f} ms  "
                f"p95 {percentile(values, 95) * 1000:7.0f} ms  p99 {percentile(values, 99) * 1000:7.0f} ms  "
                f"max {max(values) * 1000:7.0f} ms")

    print(f"  errors {result['errors']}, lost attempts {result['lost']}, duplicated attempts {result['duplicated']}, "
          f"submitted but not graded {result['unsubmitted']}, attempts without questions {result['without_answers']}")
    for kind, count in result["error_kinds"].most_common(5):
        print(f"    {count} x {kind}")
    print(line("start", result["starts"]))
    print(line("submit", result["submits"]))
    print(f"  every learner had started and opened the attempt {result['all_started']:.1f} s after the "
          f"release, and had it graded {result['all_submitted']:.1f} s after the second release")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="database URL (default: DATABASE_URL, else a SQLite file in the temp dir)")
    parser.add_argument("--learners", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3, help="each with fresh learners; the summary shows medians")
    parser.add_argument("--quiz", default="pretest", help="quiz key in casom-basic (default: the pre-test)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--login-concurrency", type=int, default=8)
    args = parser.parse_args()
    url = servers.database_url(args.database)
    print(f"bench.exam_start: {args.learners} learners, quiz {args.quiz!r}, gunicorn --workers {args.workers} "
          f"--threads {args.threads}; {url.split('@')[-1]}\n{machine()}")
    servers.prepare(url, sizes=())
    results = []
    log = servers.DEFAULT_SQLITE.parent / "exam-gunicorn.log"
    with servers.Gunicorn("wsgi:app", url, workers=args.workers, threads=args.threads, log=log) as app:
        for run in range(1, args.runs + 1):
            print(f"\nrun {run} of {args.runs} ({machine()})")
            result = run_once(url, app.port, args.learners, args.quiz, f"x{int(time.time())}r{run}",
                              args.login_concurrency)
            describe(result)
            results.append(result)
    print("\n| runs | learners | errors | lost | duplicated | start p50 | start p95 | submit p50 | submit p95 | "
          "submit p99 |")
    print("|---|---|---|---|---|---|---|---|---|---|")

    def med(key, percent):
        values = [percentile(r[key], percent) for r in results if r[key]]
        return f"{statistics.median(values) * 1000:,.0f} ms" if values else "-"

    print(f"| {len(results)} | {args.learners} | {sum(r['errors'] for r in results)} | "
          f"{sum(r['lost'] + r['unsubmitted'] for r in results)} | {sum(r['duplicated'] for r in results)} | "
          f"{med('starts', 50)} | {med('starts', 95)} | {med('submits', 50)} | {med('submits', 95)} | "
          f"{med('submits', 99)} |")
    print(f"(medians over the runs; errors, lost and duplicated are totals)\nfinished: {machine()}")


if __name__ == "__main__":
    main()
