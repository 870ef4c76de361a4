"""CASOM LMS: the application factory."""

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import config_for
from lms.core.requests import register_request_hygiene
from lms.extensions import csrf, db, limiter, login_manager, migrate


def create_app(config=None):
    """Build the app from a config class, a config name, or LMS_ENV."""
    instance_path = str(Path(__file__).resolve().parent.parent / "instance")
    app = Flask(__name__, template_folder="core/templates", instance_path=instance_path)
    config_class = config if isinstance(config, type) else config_for(config)
    app.config.from_object(config_class)
    config_class.check(app.config)
    Path(app.instance_path).mkdir(exist_ok=True)
    trust_reverse_proxies(app)
    register_request_hygiene(app)  # before the blueprints: their <int:> rules use its converter
    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    return app


def trust_reverse_proxies(app):
    """Take the client's address and scheme from the headers of the PROXY_COUNT proxies in front."""
    count = app.config["PROXY_COUNT"]
    if count:
        # The proxy passes the Host header through itself (nginx: proxy_set_header Host $host), so
        # X-Forwarded-Host and -Port are not believed: a client could send them to forge links.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=0, x_port=0, x_prefix=0)


def register_extensions(app):
    import lms.models  # noqa: F401  (the whole schema, for Alembic and create_all)
    from lms.core import database

    db.init_app(app)
    with app.app_context():
        database.configure_engine(db.engine)
    migrate.init_app(app, db, render_as_batch=True, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"


def register_blueprints(app):
    from lms.admin.views import bp as admin_bp
    from lms.auth.views import bp as auth_bp
    from lms.certificates.views import bp as certificates_bp
    from lms.cohorts.report_views import bp as cohort_reports_bp
    from lms.cohorts.views import bp as cohorts_bp
    from lms.curricula.views import bp as curricula_bp
    from lms.evaluations.report_views import bp as evaluation_reports_bp
    from lms.evaluations.views import bp as evaluations_bp
    from lms.learning.views import bp as learning_bp
    from lms.quizzes.views import bp as quizzes_bp

    for blueprint in (auth_bp, curricula_bp, learning_bp, quizzes_bp, certificates_bp, cohorts_bp,
                      cohort_reports_bp, admin_bp, evaluations_bp, evaluation_reports_bp):
        app.register_blueprint(blueprint)


def register_cli(app):
    from lms.auth.cli import users_cli
    from lms.certificates.cli import certificates_cli
    from lms.core.backup import register_backup_commands
    from lms.core.demo import demo_cli
    from lms.curricula.cli import curricula_cli

    for group in (users_cli, curricula_cli, demo_cli, certificates_cli):
        app.cli.add_command(group)
    register_backup_commands(app)


def register_errorhandlers(app):
    from lms.core.errors import register_error_pages

    register_error_pages(app)


def register_template_helpers(app):
    from lms.core.caching import register_static_caching
    from lms.core.security import register_security_headers

    app.jinja_env.add_extension("jinja2.ext.do")
    register_security_headers(app)
    register_static_caching(app)
