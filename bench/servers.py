"""Servers and data for the HTTP benchmarks: gunicorn processes that are always stopped (each in its
own process group, ended with SIGTERM, then SIGKILL), and the bench database prepared through the
app's own commands (`flask db upgrade`, `curricula import`, `demo accounts`, `demo generate`)."""

import atexit
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = Path(tempfile.gettempdir()) / "casom-bench" / "bench.sqlite3"
DEMO_PASSWORD = "casom-demo-2026"  # noqa: S105 - the development demo password (config.py)
DEMO_TRAINER = "trainer@example.org"
_running = []


def database_url(argument=None):
    """The bench database: --database, else DATABASE_URL, else a SQLite file in the temp dir.
    Never point it at a database you care about: it gets thousands of generated accounts."""
    url = argument or os.environ.get("DATABASE_URL")
    if url:
        return url
    DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE}"


def app_environment(url, **extra):
    """The environment of every app process: development settings on the bench database, the
    public verify limit lifted (the page is measured, not the limiter's refusals)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("LMS_TEST_", "FLASK_DEBUG"))}
    env.update({"LMS_ENV": "development", "DATABASE_URL": url, "FLASK_APP": "wsgi", "LMS_DEMO_PASSWORD": DEMO_PASSWORD,
                "LMS_VERIFY_LIMIT": "1000000 per minute", "PYTHONDONTWRITEBYTECODE": "1"})
    env.update(extra)
    return env


def flask(url, *args, check=True):
    """Run a `flask` command of the app against the bench database; returns its output."""
    result = subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT,  # noqa: S603 - our own arguments
                            env=app_environment(url), capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def engine(url):
    return create_engine(url)


def scalar(url, sql, **params):
    with engine(url).connect() as connection:
        return connection.execute(text(sql), params).scalar()


def rows(url, sql, **params):
    with engine(url).connect() as connection:
        return connection.execute(text(sql), params).all()


def prepare(url, sizes=(100, 1000, 10000), tag="bench", echo=print):
    """Migrate, import both curricula, create the demo accounts, and generate one in-person
    casom-basic cohort per size (once: later runs reuse them). Returns {size: cohort id}."""
    started = time.perf_counter()
    flask(url, "db", "upgrade")
    flask(url, "curricula", "import")
    flask(url, "demo", "accounts")
    cohorts = cohorts_by_size(url, tag)
    missing = [size for size in sizes if size not in cohorts]
    if missing:
        echo(f"generating cohorts of {', '.join(map(str, missing))} trainees (once; later runs reuse them)...")
        echo(flask(url, "demo", "generate", "--sizes", ",".join(map(str, missing)), "--curriculum", "casom-basic",
                   "--delivery", "in_person", "--tag", f"{tag}{len(cohorts)}", "--seed", str(7 + len(cohorts))).strip())
        cohorts = cohorts_by_size(url, tag)
    echo(f"bench database ready in {time.perf_counter() - started:.1f} s: {url}")
    return {size: cohorts[size] for size in sizes}


def cohorts_by_size(url, tag):
    found = rows(url, "SELECT c.id, count(e.id) FROM cohort c JOIN enrollment e ON e.cohort_id = c.id "
                      "WHERE c.name LIKE :pattern GROUP BY c.id ORDER BY c.id", pattern=f"% {tag}%)")
    return {size: cohort_id for cohort_id, size in found}


def upcoming_learners(url, count, tag, echo=print):
    """`count` new trainees enrolled in a casom-basic cohort whose first day is still ahead (nothing
    done yet: the pre-test is open to them); returns their emails."""
    flask(url, "demo", "generate", "--sizes", str(count), "--curriculum", "casom-basic", "--tag", tag,
          "--upcoming")
    emails = [row[0] for row in rows(url, 'SELECT email FROM "user" WHERE role = \'trainee\' AND email LIKE :pattern '
                                               'ORDER BY id',
                                     pattern=f"%.{tag}%@generated.example.org")]
    echo(f"{len(emails)} upcoming learners (tag {tag})")
    return emails


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """`gunicorn APP` on a free port; a context manager that always stops it."""

    def __init__(self, app, url=None, workers=2, threads=4, env=None, log=None, config=None):
        self.app, self.port = app, free_port()
        self.command = [sys.executable, "-m", "gunicorn", *(["--config", str(config)] if config else []),
                        "--workers", str(workers), "--threads", str(threads),
                        "--worker-class", "gthread" if threads > 1 else "sync", "--bind", f"127.0.0.1:{self.port}",
                        "--keep-alive", "30", "--backlog", "2048", "--graceful-timeout", "5",
                        # one shared control socket path would let concurrent servers trip over each other
                        "--no-control-socket", app]
        self.env = app_environment(url, **(env or {})) if url else {**os.environ, **(env or {})}
        self.log = log
        self.process = None

    def __enter__(self):
        self.log_file = open(self.log or os.devnull, "w")  # closed in __exit__
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env,  # noqa: S603 - our own arguments
                                        stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True)
        _running.append(self)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.app} exited with {self.process.returncode}"
                                   + (f"; see {self.log}" if self.log else ""))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn {self.app} did not listen on port {self.port} within 60 s")

    def __exit__(self, *exc):
        self.stop()
        self.log_file.close()

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        except ProcessLookupError:
            pass
        if self in _running:
            _running.remove(self)


@atexit.register
def _stop_everything():
    for server in list(_running):
        server.stop()
