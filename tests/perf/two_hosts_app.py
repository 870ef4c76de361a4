"""The app as each host of tests/perf/test_two_hosts.py runs it under gunicorn: development
settings read from the environment (DATABASE_URL, REDIS_URL, SECRET_KEY, LMS_LOGIN_LIMIT), with the
rate-limit keys under a prefix of the test run's own, so runs sharing one Redis never meet."""

import os

from config import DevelopmentConfig
from lms import create_app


class TwoHostsConfig(DevelopmentConfig):
    RATELIMIT_KEY_PREFIX = os.environ["LMS_TWO_HOSTS_PREFIX"]


app = create_app(TwoHostsConfig)
