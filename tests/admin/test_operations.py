"""The account rules, called directly (no HTTP)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from lms.admin import operations
from lms.auth.models import User
from lms.core.audit import AuditEvent
from lms.core.errors import DomainError
from lms.extensions import db


def test_two_admins_demoting_each_other_at_once_leave_one_admin(app, make_user):
    first, second = make_user("admin"), make_user("admin")
    pairs = [(first.id, second.id), (second.id, first.id)]
    db.session.commit()
    barrier = threading.Barrier(2, timeout=30)

    def demote(pair):
        actor_id, target_id = pair
        with app.app_context():
            barrier.wait()  # before the first read: on SQLite that read takes the write lock
            actor, target = db.session.get(User, actor_id), db.session.get(User, target_id)
            try:
                operations.change_role(actor, target, "trainer")
                db.session.commit()
                return "demoted"
            except operations.LastAdminError:
                db.session.rollback()
                return "refused"

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(demote, pairs))
    assert outcomes == ["demoted", "refused"]
    assert db.session.scalar(select(func.count()).select_from(User).where(User.role == "admin")) == 1


def test_unchanged_role_changes_nothing(make_user):
    admin, user = make_user("admin"), make_user()
    assert operations.change_role(admin, user, "trainee") is False
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_unknown_role_is_refused(make_user):
    admin, user = make_user("admin"), make_user()
    with pytest.raises(DomainError):
        operations.change_role(admin, user, "root")


def test_deactivating_an_admin_needs_another_active_admin(make_user):
    actor, other = make_user("admin"), make_user("admin")
    operations.deactivate_user(actor, other)
    assert not other.active


def test_deactivating_twice_is_refused(make_user):
    admin, user = make_user("admin"), make_user()
    operations.deactivate_user(admin, user)
    with pytest.raises(operations.InvalidState):
        operations.deactivate_user(admin, user)


@pytest.mark.parametrize("factor", [0.99, 3.001, "x", None, "nan", "inf"])
def test_time_accommodation_bounds(make_user, factor):
    admin, user = make_user("admin"), make_user()
    with pytest.raises(DomainError):
        operations.set_time_accommodation(admin, user, factor)


@pytest.mark.parametrize("factor", [1, 3, "2.25"])
def test_time_accommodation_accepts_the_bounds(make_user, factor):
    admin, user = make_user("admin"), make_user()
    operations.set_time_accommodation(admin, user, factor)
    assert user.time_accommodation == float(factor)
