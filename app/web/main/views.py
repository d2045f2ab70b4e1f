"""Front door: send each signed-in user to their role's home."""

from flask import Blueprint, current_app, redirect, send_from_directory, url_for
from flask_login import current_user, login_required

from app.web.access import HOME_ENDPOINTS

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def index():
    return redirect(url_for(HOME_ENDPOINTS[current_user.role]))


@bp.route("/healthz")
def health():
    return {"status": "ok"}


@bp.route("/favicon.ico")
def favicon():
    """Serve the icon where browsers and other clients look for it without a page's link."""
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml")
