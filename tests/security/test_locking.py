"""Row locks must guard a state transition, or they give a false sense of safety.

`SELECT ... FOR UPDATE` (SQLAlchemy's `with_for_update()`) only helps when what the transaction
decides after taking the lock is re-read under it and then written. On SQLite it compiles to
nothing: there, form posts, CLI commands and background work begin `BEGIN IMMEDIATE`
(lms/core/database.py), so such a transaction holds the whole database's write lock from its
first statement and the guard is the transaction itself. On PostgreSQL (READ COMMITTED) the lock
is real, and the code after it must (a) re-read what it decides on, in statements that run after
the lock is granted, and (b) write in the same transaction.

The rule, checked on every lms/**/*.py function that calls `with_for_update(`:

1. the same function also makes the transition safe on its own: a guarded UPDATE
   (`update(...).where(...)`, whose rowcount says whether this transaction won) or an
   `except IntegrityError` (a unique constraint decides the race); or
2. it is a reviewed lock helper (LOCK_THEN_RECHECK below): the helper re-reads its target with
   `db.session.refresh(` after the lock, and every function of its module that calls it calls
   the named re-check after it, before anything is written.

lms/admin/operations.py, `_lock_active_admins` (the last-admin guard), reviewed: it is correct.
It locks every active admin row in id order (so two callers queue rather than deadlock) and then
refreshes the target user. `change_role` and `deactivate_user` call it first, then
`_refuse_removing_last_admin`, which counts the *other* active admins in a new statement. Under
READ COMMITTED a second transaction waiting on those locks re-evaluates its WHERE clause on the
rows the first committed (a demoted admin no longer matches), and its re-check statement sees
the first one's commit: of two admins demoting each other at once, one succeeds and one is
refused (tests/admin/test_operations.py proves it on both databases). Only transitions that remove
an admin take the lock; those that add one (promotion, reactivation) cannot make the guard let
the last admin go, at worst they make it refuse a demotion it could have allowed. Requests hold no
user-row lock before the guard (sessions live in the signed cookie), so the id order is the only
lock order and no deadlock is possible between two guards.
"""

import ast
from pathlib import Path

LMS = Path(__file__).resolve().parents[2] / "lms"

#: module (relative to the repository) -> {lock helper: the re-check its callers must run after it}
LOCK_THEN_RECHECK = {
    "lms/admin/operations.py": {"_lock_active_admins": "_refuse_removing_last_admin"},
}


def _calls(node):
    """(name, line) of every call in `node`: `f(...)` gives f, `a.b.f(...)` gives f."""
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            function = call.func
            name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)
            if name:
                yield name, call.lineno


def _has_guarded_update(function):
    """`update(...)` whose chain also calls `.where(...)`."""
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "where":
            chain = node.func.value
            while isinstance(chain, ast.Call | ast.Attribute):
                if isinstance(chain, ast.Call) and getattr(chain.func, "id", None) == "update":
                    return True
                chain = chain.func if isinstance(chain, ast.Call) else chain.value
    return False


def _handles_integrity_error(function):
    for node in ast.walk(function):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            names = [n.id if isinstance(n, ast.Name) else getattr(n, "attr", "") for n in ast.walk(node.type)]
            if "IntegrityError" in names:
                return True
    return False


def _attribute_writes(function):
    """Lines that assign to an attribute (`user.role = ...`): the writes of an ORM transition."""
    for node in ast.walk(function):
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, ast.AugAssign | ast.AnnAssign) else []
        for target in targets:
            if any(isinstance(part, ast.Attribute) for part in ast.walk(target)):
                yield node.lineno


def _functions(tree):
    return [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]


def _problems_of(relative, tree):
    problems = []
    functions = _functions(tree)
    reviewed = LOCK_THEN_RECHECK.get(relative, {})
    for function in functions:
        lock_lines = [line for name, line in _calls(function) if name == "with_for_update"]
        if not lock_lines:
            continue
        if _has_guarded_update(function) or _handles_integrity_error(function):
            continue
        where = f"{relative}:{lock_lines[0]} {function.name}()"
        if function.name not in reviewed:
            problems.append(f"{where} locks rows but has no guarded UPDATE (update(...).where(...)) or "
                            "IntegrityError handler; guard the transition, or review it and add it to "
                            "LOCK_THEN_RECHECK with its re-check")
            continue
        refreshes = [line for name, line in _calls(function) if name == "refresh" and line > min(lock_lines)]
        if not refreshes:
            problems.append(f"{where} must re-read its target (db.session.refresh) after taking the lock")
        recheck = reviewed[function.name]
        callers = [f for f in functions if f is not function and any(n == function.name for n, _ in _calls(f))]
        if not callers:
            problems.append(f"{where} is a reviewed lock helper that nothing calls; remove it from LOCK_THEN_RECHECK")
        for caller in callers:
            calls = list(_calls(caller))
            locked_at = min(line for name, line in calls if name == function.name)
            rechecked_at = [line for name, line in calls if name == recheck and line > locked_at]
            if not rechecked_at:
                problems.append(f"{relative} {caller.name}() calls {function.name}() but not {recheck}() after it")
                continue
            written = [line for line in _attribute_writes(caller) if locked_at < line < min(rechecked_at)]
            if written:
                problems.append(f"{relative} {caller.name}() writes (line {written[0]}) before {recheck}()")
    return problems


def _lms_sources():
    for path in sorted(LMS.rglob("*.py")):
        relative = path.relative_to(LMS.parent).as_posix()
        yield relative, path.read_text(encoding="utf-8")


def test_every_row_lock_guards_a_state_transition():
    problems = []
    for relative, source in _lms_sources():
        if "with_for_update(" in source:
            problems += _problems_of(relative, ast.parse(source, filename=relative))
    assert problems == []


def test_the_reviewed_lock_helpers_still_exist():
    sources = dict(_lms_sources())
    for relative, helpers in LOCK_THEN_RECHECK.items():
        tree = ast.parse(sources[relative])
        names = {function.name for function in _functions(tree)}
        for helper, recheck in helpers.items():
            assert {helper, recheck} <= names, f"{relative}: {helper} or {recheck} is gone; update LOCK_THEN_RECHECK"


def test_the_rule_catches_an_unguarded_lock():
    """The checker itself: a lock followed by a plain read-then-write is reported; guarded forms pass."""
    unguarded = ast.parse(
        "def take(seat_id):\n"
        "    seat = db.session.scalar(select(Seat).where(Seat.id == seat_id).with_for_update())\n"
        "    seat.taken = True\n")
    guarded = ast.parse(
        "def take(seat_id):\n"
        "    db.session.execute(select(Seat.id).with_for_update())\n"
        "    done = db.session.execute(update(Seat).where(Seat.id == seat_id, Seat.taken.is_(False))"
        ".values(taken=True))\n")
    constrained = ast.parse(
        "def take(seat_id):\n"
        "    db.session.execute(select(Seat.id).with_for_update())\n"
        "    try:\n"
        "        db.session.flush()\n"
        "    except IntegrityError:\n"
        "        pass\n")
    helper_without_recheck = ast.parse(
        "def _lock_active_admins(user):\n"
        "    db.session.execute(select(User.id).with_for_update())\n"
        "    db.session.refresh(user)\n"
        "def change_role(actor, user, role):\n"
        "    _lock_active_admins(user)\n"
        "    user.role = role\n")
    assert len(_problems_of("x.py", unguarded)) == 1
    assert _problems_of("x.py", guarded) == []
    assert _problems_of("x.py", constrained) == []
    written_first = ast.parse(
        "def _lock_active_admins(user):\n"
        "    db.session.execute(select(User.id).with_for_update())\n"
        "    db.session.refresh(user)\n"
        "def change_role(actor, user, role):\n"
        "    _lock_active_admins(user)\n"
        "    user.role = role\n"
        "    _refuse_removing_last_admin(user, 'no')\n")
    assert _problems_of("lms/admin/operations.py", helper_without_recheck) == [
        "lms/admin/operations.py change_role() calls _lock_active_admins() but not _refuse_removing_last_admin() "
        "after it"]
    assert _problems_of("lms/admin/operations.py", written_first) == [
        "lms/admin/operations.py change_role() writes (line 6) before _refuse_removing_last_admin()"]
