"""The member's calendar: week and month views, windows, blocked periods, pause, feed URL."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.db import get_session, mark_rollback
from app.models.enums import Role
from app.services.booking.withdrawals import WithdrawalNeeded, block_period
from app.services.date_bounds import DAY_MESSAGE, day_in_range
from app.services.errors import InvalidInput, NotFound
from app.services.pool import availability as service
from app.services.pool.member_calendar import (
    calendar_days,
    ensure_calendar_token,
    rotate_calendar_token,
)
from app.web.access import role_required
from app.web.availability.forms import EmptyForm, PauseForm, PeriodForm, WindowForm
from app.web.forms import apply_service_errors
from app.web.labels import WEEKDAYS
from app.web.pool_common import council_mailbox, mail_translate, own_member
from scheduling.availability import month_weeks, shift_month, week_of

bp = Blueprint("availability", __name__, url_prefix="/me/calendar")


def _shown_date() -> date | None:
    """Return the date asked for (today when none is readable); None outside 2000–2100."""
    try:
        shown = date.fromisoformat(request.args.get("date", ""))
    except ValueError:
        return clock.today()
    return shown if day_in_range(shown) else None


def _grid(view: str, shown: date) -> dict:
    """Return the days to draw and the neighbouring dates for the chosen view."""
    if view == "month":
        weeks = month_weeks(shown.year, shown.month)
        first, last = weeks[0][0], weeks[-1][-1]
        previous, following = shift_month(shown, -1), shift_month(shown, 1)
    else:
        weeks = [week_of(shown)]
        first, last = weeks[0][0], weeks[0][-1]
        previous, following = first - timedelta(days=7), first + timedelta(days=7)
    return {
        "first": first,
        "last": last,
        "weeks": weeks,
        "previous": previous,
        "following": following,
    }


def _render(member, forms: dict | None = None, status: int = 200, confirm=None):
    session = get_session()
    feed_token = ensure_calendar_token(session=session, member=member)
    view = "month" if request.args.get("view") == "month" else "week"
    shown = _shown_date()
    if shown is None:
        flash(_(DAY_MESSAGE), "error")
        shown, status = clock.today(), 422 if status < 400 else status
    grid = _grid(view, shown)
    windows = service.member_windows(session=session, member_id=member.id)
    periods = service.member_periods(session=session, member_id=member.id)
    days = calendar_days(
        session=session,
        member=member,
        first=grid["first"],
        last=grid["last"],
        zone=clock.zone(),
        windows=windows,
        periods=periods,
    )
    forms = forms or {}
    edit_forms = {
        window.id: forms.get(f"w{window.id}") or WindowForm(prefix=f"w{window.id}", obj=window)
        for window in windows
    }
    return (
        render_template(
            "availability/calendar.html",
            member=member,
            view=view,
            shown=shown,
            today=clock.today(),
            grid=grid,
            days={day.day: day for day in days},
            windows=windows,
            edit_forms=edit_forms,
            periods=periods,
            weekdays=[str(name) for name in WEEKDAYS],  # translated once, not per day
            window_form=forms.get("window") or WindowForm(prefix="new"),
            period_form=forms.get("period") or PeriodForm(prefix="block"),
            pause_form=forms.get("pause") or PauseForm(prefix="pause"),
            button_form=EmptyForm(),
            confirm=confirm,
            feed_token=feed_token,
        ),
        status,
    )


def _back():
    return redirect(url_for("availability.calendar", **request.args))


@bp.route("/")
@role_required(Role.MEMBER)
def calendar():
    return _render(own_member())


def _invalid(member, key: str, form, error: InvalidInput):
    mark_rollback()
    general = apply_service_errors(form, error.fields)
    for message in general:
        flash(message, "error")
    return _render(member, {key: form}, 422)


@bp.route("/windows", methods=["POST"])
@role_required(Role.MEMBER)
def add_window():
    member = own_member()
    form = WindowForm(prefix="new")
    if not form.validate_on_submit():
        return _render(member, {"window": form}, 422)
    try:
        service.add_window(session=get_session(), member=member, data=form.to_input())
    except InvalidInput as error:
        return _invalid(member, "window", form, error)
    flash(_("The time window is added."), "success")
    return _back()


@bp.route("/windows/<int:window_id>", methods=["POST"])
@role_required(Role.MEMBER)
def update_window(window_id: int):
    member = own_member()
    form = WindowForm(prefix=f"w{window_id}")
    try:
        service.own_window(session=get_session(), member=member, window_id=window_id)
        if not form.validate_on_submit():
            return _render(member, {f"w{window_id}": form}, 422)
        service.update_window(
            session=get_session(), member=member, window_id=window_id, data=form.to_input()
        )
    except NotFound:
        abort(404)
    except InvalidInput as error:
        return _invalid(member, f"w{window_id}", form, error)
    flash(_("The time window is saved."), "success")
    return _back()


@bp.route("/windows/<int:window_id>/delete", methods=["POST"])
@role_required(Role.MEMBER)
def delete_window(window_id: int):
    try:
        service.delete_window(session=get_session(), member=own_member(), window_id=window_id)
    except NotFound:
        abort(404)
    flash(_("The time window is removed."), "success")
    return _back()


@bp.route("/blocks", methods=["POST"])
@role_required(Role.MEMBER)
def add_block():
    member = own_member()
    form = PeriodForm(prefix="block")
    if not form.validate_on_submit():
        return _render(member, {"period": form}, 422)
    try:
        _period, withdrawn = block_period(
            session=get_session(),
            member=member,
            data=form.to_input(),
            actor_id=current_user.id,
            zone=clock.zone(),
            council_mailbox=council_mailbox(),
            translate=mail_translate(),
            confirm_withdraw=form.confirm_withdraw.data == "yes",
        )
    except InvalidInput as error:
        return _invalid(member, "period", form, error)
    except WithdrawalNeeded as needed:
        return _render(member, {"period": form}, 200, confirm=needed.affected)
    if withdrawn:
        flash(
            _(
                "You have withdrawn from %(count)s assignments; the council is told.",
                count=len(withdrawn),
            ),
            "info",
        )
    flash(_("The period is blocked."), "success")
    return _back()


@bp.route("/blocks/<int:period_id>/delete", methods=["POST"])
@role_required(Role.MEMBER)
def delete_block(period_id: int):
    try:
        service.delete_period(session=get_session(), member=own_member(), period_id=period_id)
    except NotFound:
        abort(404)
    flash(_("The period is removed."), "success")
    return _back()


@bp.route("/pause", methods=["POST"])
@role_required(Role.MEMBER)
def pause():
    member = own_member()
    form = PauseForm(prefix="pause")
    if not form.validate_on_submit():
        return _render(member, {"pause": form}, 422)
    try:
        service.pause_member(
            session=get_session(), member=member, until=form.until.data, today=clock.today()
        )
    except InvalidInput as error:
        return _invalid(member, "pause", form, error)
    flash(_("Your assignments are paused."), "success")
    return _back()


@bp.route("/resume", methods=["POST"])
@role_required(Role.MEMBER)
def resume():
    if not EmptyForm().validate_on_submit():
        abort(400)
    service.resume_member(session=get_session(), member=own_member())
    flash(_("Welcome back: you can be asked for assignments again."), "success")
    return _back()


@bp.route("/token", methods=["POST"])
@role_required(Role.MEMBER)
def new_token():
    if not EmptyForm().validate_on_submit():
        abort(400)
    rotate_calendar_token(session=get_session(), member=own_member())
    flash(_("You have a new calendar link. The old link no longer works."), "success")
    return _back()
