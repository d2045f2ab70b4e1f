"""The council's register of patient and relative organisations, nominations and mandates.

Pages under /council/organisations/ and /council/nominations/; the organisation's own pages
(reached by secret links, no sign-in) are in ``public.py``.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.db import get_session, mark_rollback
from app.i18n import lazy_gettext as _l
from app.mail.settings import mail_context
from app.models import Area, Organisation
from app.models.enums import Role
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.nominations import mandates, register
from app.services.nominations import nominate as nominations
from app.services.nominations.report import organisation_report, send_report_link
from app.services.pool.taxonomy import list_areas
from app.services.privacy.audit import record_read
from app.web.access import role_required
from app.web.forms import apply_service_errors, area_options
from app.web.organisations.forms import ActionForm, NominationForm, RegisterForm, RenewForm

bp = Blueprint("organisations", __name__)

#: What the council sees of a nomination's link.
LINK_STATES = {
    "open": _l("Open"),
    "filled": _l("Every seat named"),
    "withdrawn": _l("Withdrawn"),
    "expired": _l("Answer-by date passed"),
}


def _or_404(getter, **ids):
    try:
        return getter(session=get_session(), **ids)
    except NotFound:
        abort(404)


def _register_input(form: RegisterForm) -> register.OrganisationInput:
    return register.OrganisationInput(
        name=form.name.data or "",
        contact_name=form.contact_name.data or "",
        contact_email=form.contact_email.data or "",
        contact_phone=form.contact_phone.data or "",
        member_count=form.member_count.data,
        area_ids=tuple(form.area_ids.data or ()),
    )


def _refused(form, error) -> list[str]:
    """Roll back, attach a service error to the form and return the messages left over."""
    mark_rollback()
    general = apply_service_errors(form, getattr(error, "fields", {}))
    return general or ([] if getattr(error, "fields", None) else [_(str(error))])


@bp.route("/council/organisations/", methods=["GET", "POST"], endpoint="register")
@role_required(Role.COUNCIL)
def register_page():
    session = get_session()
    form = RegisterForm()
    form.area_ids.choices = area_options()
    general, status = [], 200
    if form.validate_on_submit():
        try:
            organisation = register.create_patient_organisation(
                session=session, data=_register_input(form), actor_id=current_user.id
            )
        except (InvalidInput, Conflict) as error:
            general, status = _refused(form, error), 422
        else:
            flash(_("Saved."), "success")
            return redirect(url_for(".organisation", patient_org_id=organisation.id))
    elif form.is_submitted():
        status = 422
    areas = {area.id: area for area in list_areas(session=session)}
    rows = register.list_register(session=session)
    return render_template(
        "organisations/register.html", form=form, rows=rows, areas=areas, general_errors=general
    ), status


@bp.route("/council/organisations/<int:patient_org_id>", methods=["GET", "POST"])
@role_required(Role.COUNCIL)
def organisation(patient_org_id: int):
    session = get_session()
    org = _or_404(register.patient_organisation, organisation_id=patient_org_id)
    form = RegisterForm(obj=org)
    form.area_ids.choices = area_options()
    if not form.is_submitted():
        form.area_ids.data = list(register.served_areas(session=session, organisation_id=org.id))
    general, status = [], 200
    if form.validate_on_submit():
        try:
            register.update_patient_organisation(
                session=session,
                organisation_id=org.id,
                data=_register_input(form),
                actor_id=current_user.id,
            )
        except (InvalidInput, Conflict) as error:
            general, status = _refused(form, error), 422
        else:
            flash(_("Saved."), "success")
            return redirect(url_for(".organisation", patient_org_id=org.id))
    elif form.is_submitted():
        status = 422
    return _organisation_page(org, form, general), status


def _organisation_page(org, form, general):
    session = get_session()
    people = mandates.representatives(session=session, organisation_id=org.id)
    if people:
        record_read(
            session=session,
            actor_id=current_user.id,
            action="organisation.representatives.read",
            subject_type="organisation",
            subject_id=org.id,
            detail={"members": len(people)},
        )
    return render_template(
        "organisations/organisation.html",
        organisation=org,
        form=form,
        general_errors=general,
        representatives=people,
        nominations=nominations.list_nominations(session=session, organisation_id=org.id),
        areas={area.id: area for area in list_areas(session=session)},
        today=clock.today(),
        link_state=nominations.link_state,
        link_states=LINK_STATES,
        renew_form=RenewForm(),
        action_form=ActionForm(),
    )


@bp.route("/council/organisations/<int:patient_org_id>/nominations/new", methods=["GET", "POST"])
@role_required(Role.COUNCIL)
def new_nomination(patient_org_id: int):
    session = get_session()
    org = _or_404(register.patient_organisation, organisation_id=patient_org_id)
    form = NominationForm()
    served = register.served_areas(session=session, organisation_id=org.id)
    form.area_id.choices = area_options()
    if not form.is_submitted() and served:
        form.area_id.data = served[0]
    general, status = [], 200
    if form.validate_on_submit():
        data = nominations.NominationInput(
            area_id=form.area_id.data,
            seats=form.seats.data,
            mandate_ends_on=form.mandate_ends_on.data,
            answer_by=form.answer_by.data,
            purpose=form.purpose.data or "",
            request_id=form.request_id.data,
        )
        try:
            nomination, _secret = nominations.create_nomination(
                session=session,
                organisation_id=org.id,
                data=data,
                actor_id=current_user.id,
                ctx=mail_context(),
                now=clock.now(),
            )
        except (InvalidInput, Conflict) as error:
            general, status = _refused(form, error), 422
        else:
            flash(
                _("The request was mailed to %(address)s.", address=nomination.sent_to), "success"
            )
            return redirect(url_for(".nomination", nomination_id=nomination.id))
    elif form.is_submitted():
        status = 422
    return render_template(
        "organisations/new_nomination.html", organisation=org, form=form, general_errors=general
    ), status


@bp.route("/council/nominations/<int:nomination_id>")
@role_required(Role.COUNCIL)
def nomination(nomination_id: int):
    session = get_session()
    item = _or_404(nominations.get_nomination, nomination_id=nomination_id)
    named = nominations.nominees(session=session, nomination_id=item.id)
    if named:
        record_read(
            session=session,
            actor_id=current_user.id,
            action="nomination.read",
            subject_type="organisation",
            subject_id=item.organisation_id,
            detail={"nomination_id": item.id},
        )
    return render_template(
        "organisations/nomination.html",
        nomination=item,
        organisation=session.get(Organisation, item.organisation_id),
        area=session.get(Area, item.area_id),
        nominees=named,
        state=LINK_STATES[nominations.link_state(item, clock.today())],
        action_form=ActionForm(),
    )


@bp.route("/council/nominations/<int:nomination_id>/withdraw", methods=["POST"])
@role_required(Role.COUNCIL)
def withdraw_nomination(nomination_id: int):
    done = url_for(".nomination", nomination_id=nomination_id)
    return _post(
        ActionForm(),
        lambda _form: nominations.withdraw_nomination(
            session=get_session(),
            nomination_id=nomination_id,
            actor_id=current_user.id,
            now=clock.now(),
        ),
        done,
        _("The request was withdrawn; its link no longer works."),
    )


def _post(form, action, done: str, message: str):
    """Run a one-button or one-field form; flash the outcome and go back to ``done``."""
    if not form.validate_on_submit():
        mark_rollback()
        for errors in form.errors.values():
            flash("; ".join(map(str, errors)), "error")
        return redirect(done)
    try:
        action(form)
    except NotFound:
        abort(404)
    except (InvalidInput, Conflict) as error:
        mark_rollback()
        fields = getattr(error, "fields", {})
        flash("; ".join(_(m) for m in fields.values()) if fields else _(str(error)), "error")
        return redirect(done)
    flash(message, "success")
    return redirect(done)


@bp.route(
    "/council/organisations/<int:patient_org_id>/mandates/<int:member_id>/renew",
    methods=["POST"],
)
@role_required(Role.COUNCIL)
def renew_mandate(patient_org_id: int, member_id: int):
    return _post(
        RenewForm(),
        lambda form: mandates.renew_mandate(
            session=get_session(),
            organisation_id=patient_org_id,
            member_id=member_id,
            ends_on=form.ends_on.data,
            actor_id=current_user.id,
        ),
        url_for(".organisation", patient_org_id=patient_org_id) + "#representatives",
        _("The mandate was renewed."),
    )


@bp.route(
    "/council/organisations/<int:patient_org_id>/mandates/<int:member_id>/end", methods=["POST"]
)
@role_required(Role.COUNCIL)
def end_mandate(patient_org_id: int, member_id: int):
    return _post(
        ActionForm(),
        lambda _form: mandates.end_mandate(
            session=get_session(),
            organisation_id=patient_org_id,
            member_id=member_id,
            actor_id=current_user.id,
        ),
        url_for(".organisation", patient_org_id=patient_org_id) + "#representatives",
        _("The mandate was ended; the member stays in the pool and takes part for themselves."),
    )


@bp.route("/council/organisations/<int:patient_org_id>/report-link", methods=["POST"])
@role_required(Role.COUNCIL)
def report_link(patient_org_id: int):
    return _post(
        ActionForm(),
        lambda _form: send_report_link(
            session=get_session(),
            organisation_id=patient_org_id,
            actor_id=current_user.id,
            ctx=mail_context(),
            now=clock.now(),
        ),
        url_for(".organisation", patient_org_id=patient_org_id) + "#report",
        _("A new report link was mailed to the contact; an earlier link no longer works."),
    )


def report_year() -> int:
    """Return the year asked for in the query string (this year when none or not a number)."""
    year = request.args.get("year", "")
    return int(year) if year.isdigit() and len(year) == 4 else clock.today().year


@bp.route("/council/organisations/<int:patient_org_id>/report")
@role_required(Role.COUNCIL)
def report(patient_org_id: int):
    session = get_session()
    try:
        result = organisation_report(
            session=session, organisation_id=patient_org_id, year=report_year()
        )
    except NotFound:
        abort(404)
    except InvalidInput:
        flash(_("Give a year from 2000 to 2100."), "error")
        return redirect(url_for(".report", patient_org_id=patient_org_id))
    record_read(
        session=session,
        actor_id=current_user.id,
        action="organisation.report.read",
        subject_type="organisation",
        subject_id=patient_org_id,
        detail={"year": result.year},
    )
    return render_template("organisations/report.html", report=result, by_link=False)
