"""The request form's cost estimate: sessions from the query string through the fee engine."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _

from app.config import fee_hourly_rule
from app.db import get_session
from app.services.compensation import fees
from app.services.compensation.fee_tables import estimate_request_cost, load_tables
from app.web.figures_text import missing_figure_text, missing_figure_texts


def _sessions(args, zone: ZoneInfo) -> list[tuple]:
    sessions = []
    for day, start, end in zip(
        args.getlist("day"), args.getlist("start"), args.getlist("end"), strict=False
    ):
        if not (day and start and end):
            continue
        starts = datetime.fromisoformat(f"{day}T{start}").replace(tzinfo=zone)
        ends = datetime.fromisoformat(f"{day}T{end}").replace(tzinfo=zone)
        sessions.append((starts.date(), fees.minutes_between(starts, ends)))
    return sessions


def estimate_from_args(args, zone: ZoneInfo) -> tuple[dict, int]:
    """Return (JSON body, status) for ?day=&start=&end=…&people= (open meetings pay speakers)."""
    try:
        sessions = _sessions(args, zone)
        people = max(1, min(50, int(args.get("people", "2") or 2)))
        result = estimate_request_cost(
            tables=load_tables(session=get_session(), with_mileage=False),
            sessions=sessions,
            people_count=people,
            hourly_rule=fee_hourly_rule(current_app.config),
        )
    except fees.MissingFigure as error:
        return {"error": missing_figure_text(error), "missing": [missing_figure_text(error)]}, 400
    except (ValueError, fees.FeeError):
        return {"error": _("Check the days and times of the sessions.")}, 400
    return {
        "fees": result.fees,
        "employer_contributions": result.contributions,
        "travel": result.travel,
        "total": result.total,
        "classes": [line.fee_class for line in result.lines],
        "no_fee_reason": result.reason,
        # Figures not yet recorded: the amounts above leave out what they would add.
        "missing": missing_figure_texts(result.missing),
    }, 200
