"""Login limits are shared by every worker and host through Redis when REDIS_URL is set."""

import os
import uuid

import pytest

from lms import create_app
from tests.conftest import PASSWORD, _TestConfig

REDIS_URL = os.environ.get("LMS_TEST_REDIS_URL")


@pytest.fixture
def redis_url():
    if not REDIS_URL:
        if os.environ.get("CI"):
            pytest.fail("LMS_TEST_REDIS_URL must be set in CI (see .ci/run)")
        pytest.skip("set LMS_TEST_REDIS_URL=redis://127.0.0.1:6379/15 to test shared limits")
    return REDIS_URL


def test_two_app_processes_share_one_login_limit(app, make_user, redis_url):
    class RedisLimits(_TestConfig):
        RATELIMIT_STORAGE_URI = redis_url
        RATELIMIT_KEY_PREFIX = f"test-{uuid.uuid4().hex}"  # isolated from other runs on the same server

    from lms.extensions import db

    email = make_user().email
    db.session.commit()  # release the test session's SQLite write lock before the other apps run
    first, second = create_app(RedisLimits).test_client(), create_app(RedisLimits).test_client()
    for _ in range(10):
        assert first.post("/login", data={"email": email, "password": "wrong password!!"}).status_code == 200
    assert second.post("/login", data={"email": email, "password": PASSWORD}).status_code == 429
