"""The web interface: one blueprint per area of the site."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    """Register every blueprint (imported here so start-up stays light)."""
    from app.web.admin.views import bp as admin_bp
    from app.web.auth.views import bp as auth_bp
    from app.web.council.views import bp as council_bp
    from app.web.main.views import bp as main_bp
    from app.web.member.views import bp as member_bp
    from app.web.orders.views import bp as orders_bp

    for blueprint in (main_bp, auth_bp, council_bp, orders_bp, member_bp, admin_bp):
        app.register_blueprint(blueprint)
