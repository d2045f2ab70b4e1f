"""The download of request material: the booked people, the owning orderer and the council."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, redirect
from flask_login import current_user

from app.config import material_folder
from app.db import get_session
from app.models.enums import Role
from app.services.errors import NotFound
from app.services.journey.materials import read_material
from app.web.access import role_required

bp = Blueprint("materials", __name__, url_prefix="/materials")


@bp.route("/<int:material_id>")
@role_required(Role.MEMBER, Role.ORDERER, Role.COUNCIL)
def download(material_id: int):
    """Send the material's file (or go to its link); anyone else is answered 404."""
    try:
        material, data = read_material(
            session=get_session(),
            material_id=material_id,
            user=current_user,
            folder=material_folder(current_app.config),
        )
    except NotFound:
        abort(404)
    if data is None:
        return redirect(material.link)
    suffix = material.stored_name.rsplit(".", 1)[-1]
    return Response(
        data,
        mimetype=material.content_type,
        headers={
            # Our own name, never the uploaded one: it goes into a header.
            "Content-Disposition": f'attachment; filename="material-{material.id}.{suffix}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
