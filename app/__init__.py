"""The Levande bibliotek web application."""

from __future__ import annotations

from typing import Any

from flask import Flask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application; ``config`` overrides settings read from the environment."""
    from app import clock, db
    from app.config import instance_path, load_config
    from app.extensions import csrf, limiter
    from app.i18n import init_i18n
    from app.web import register_blueprints
    from app.web.auth.session import init_login

    app = Flask(__name__, instance_path=str(instance_path()), instance_relative_config=False)
    app.config.update(load_config())
    if config:
        app.config.update(config)
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["TIMEZONE"]
    clock.configure(app.config["TIMEZONE"])

    db.init_app(app, app.config.get("DB_SESSION_FACTORY"))
    csrf.init_app(app)
    limiter.init_app(app)
    init_login(app)
    init_i18n(app)
    from app.web.security import init_security

    init_security(app)  # before the blueprints: it sets the URL converter for ids
    register_blueprints(app)
    from app.web.labels import register_label_filter

    register_label_filter(app)
    from app.web.badges import register_badges

    register_badges(app)
    from app.web.contact_links import register_link_filters

    register_link_filters(app)
    from app.web.form_html import form_field
    from app.web.form_html import install as install_form_html

    install_form_html()
    app.jinja_env.globals["form_field"] = form_field
    from app.web.links import register_public_url

    register_public_url(app)
    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops)
    from app.web.errors import register_error_handlers

    register_error_handlers(app)
    from app.web.figures_text import register_missing_figures

    register_missing_figures(app)
    from app.cli.commands import register_commands

    register_commands(app)
    if app.config.get("ACTIVE_REQUESTS"):
        from app.concurrency import ActiveRequests

        app.wsgi_app = ActiveRequests(app.wsgi_app, app.config["ACTIVE_REQUESTS"])
    from app.web.server_timing import init_server_timing

    init_server_timing(app)
    if app.config.get("WARM_MATCHING_INDEX") and "db_engine" in app.extensions:
        from app.services.matchmaking.kept_index import warm_pool_index

        warm_pool_index(app.extensions["db_engine"])
    return app
