"""How each insight dataset is shown: its title, kind of picture, axes and words.

The datasets (app/services/insight/live.py) hold raw keys and numbers; this table gives them their
human face. Each spec's ``what`` says what the picture counts and which filters apply.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.i18n import lazy_gettext as _l

#: Section key → heading and a sentence on what it answers, in page order.
SECTIONS = {
    "pool": (
        _l("Who is in the pool"),
        _l(
            "Today's pool (active and paused members) against the population it speaks for. The period does not apply; pool and area do."
        ),
    ),
    "work": (
        _l("Who does the work"),
        _l(
            "Assignments (booked or done, first session in the period) and paid hours (attested claims, including travel time) per member of today's pool."
        ),
    ),
    "booked": (
        _l("Who is booked"),
        _l(
            "The people booked on requests whose first session falls in the period, against the pool, and how varied each group was against what the pool allowed."
        ),
    ),
    "flow": (
        _l("Flow of requests"),
        _l("Requests submitted in the period, by the month they came in."),
    ),
    "feedback": (
        _l("Feedback"),
        _l(
            "Survey answers given in the period, and whether orderers said what the contribution led to."
        ),
    ),
    "cost": (
        _l("Cost"),
        _l("Fees and travel of attested and paid claims, by the month of their last activity."),
    ),
}


@dataclass(frozen=True)
class ChartSpec:
    """How one dataset is drawn and described."""

    title: str
    #: "hbar" (long category names), "vbar" (months, bins), "line" (over months), "lorenz", "table".
    kind: str
    category_axis: str
    value_axis: str
    #: How categories are labelled: see present.category_labeller.
    categories: str
    what: str = ""
    stacked: bool = False
    y_max: float | None = None


SPECS: dict[str, ChartSpec] = {
    "pool_age": ChartSpec(
        _l("Age: pool and population"),
        "hbar",
        _l("Age band"),
        _l("Share"),
        "band",
        _l("Share of the pool and of the population in each age band."),
    ),
    "pool_age_gender": ChartSpec(
        _l("Age and sex: pool and population"),
        "hbar",
        _l("Age band and sex"),
        _l("Share"),
        "band_gender",
        _l(
            "Official statistics count two sexes; members of another gender or who have not said are shown apart."
        ),
    ),
    "pool_experience": ChartSpec(
        _l("Own or relative experience"),
        "hbar",
        _l("Experience"),
        _l("Members"),
        "experience",
        _l("Members with own experience, a relative's, or both (in the chosen area, if any)."),
    ),
    "pool_areas": ChartSpec(
        _l("Areas of experience"),
        "hbar",
        _l("Area"),
        _l("Members"),
        "area",
        _l(
            "Members with own and with relative experience per area; a person can count in several areas."
        ),
        stacked=False,
    ),
    "pool_municipalities": ChartSpec(
        _l("Municipalities: pool and population"),
        "hbar",
        _l("Municipality"),
        _l("Share"),
        "place",
        _l(
            "Where members live, against where the population lives (when the figures have municipalities)."
        ),
    ),
    "pool_mandate": ChartSpec(
        _l("For themselves or with a mandate"), "hbar", _l("Takes part"), _l("Members"), "mandate"
    ),
    "work_summary": ChartSpec(
        _l("Members, unused and at their maximum"), "table", "", "", "summary"
    ),
    "work_assignments": ChartSpec(
        _l("Assignments per member"),
        "vbar",
        _l("Assignments in the period"),
        _l("Members"),
        "bin_assignments",
    ),
    "work_hours": ChartSpec(
        _l("Paid hours per member"),
        "vbar",
        _l("Paid hours in the period"),
        _l("Members"),
        "bin_hours",
    ),
    "work_lorenz": ChartSpec(
        _l("How evenly the work is spread (Lorenz curve)"),
        "lorenz",
        _l("Share of members, least used first"),
        _l("Share of the work"),
        "percent",
        _l(
            "The further a curve sags below the diagonal, the more the work rests on a few people. The Gini coefficient is 0 when everyone does the same and approaches 1 when one person does everything."
        ),
        y_max=1.0,
    ),
    "work_at_max": ChartSpec(
        _l("Members at their monthly maximum"),
        "vbar",
        _l("Month"),
        _l("Members"),
        "month",
        _l(
            "Members booked for as many assignments in a month as they want at most (all their assignments count)."
        ),
    ),
    "booked_vs_pool": ChartSpec(
        _l("Who is booked, against the pool"),
        "hbar",
        _l("Group"),
        _l("Share"),
        "booked",
        _l(
            "Shares add up within age, within gender; experience counts what was relevant to each request."
        ),
    ),
    "booked_diversity_type": ChartSpec(
        _l("Variety of the groups sent, per type of assignment"),
        "hbar",
        _l("Type of assignment"),
        _l("Distinct values (age bands + genders + experience types)"),
        "assignment_type",
        _l(
            "Mean number of distinct age bands, genders and experience types in each group, against the most that group's size and today's pool with the requested experience allowed."
        ),
    ),
    "booked_diversity_kind": ChartSpec(
        _l("Variety of the groups sent, per kind of orderer"),
        "hbar",
        _l("Kind of orderer"),
        _l("Distinct values (age bands + genders + experience types)"),
        "organisation_kind",
    ),
    "flow_requests": ChartSpec(
        _l("Requests per month by kind of orderer"),
        "vbar",
        _l("Month"),
        _l("Requests"),
        "month",
        stacked=True,
    ),
    "flow_types": ChartSpec(
        _l("Requests per type of assignment by kind of orderer"),
        "hbar",
        _l("Type of assignment"),
        _l("Requests"),
        "assignment_type",
        stacked=True,
    ),
    "flow_participation": ChartSpec(
        _l("Requests per level of participation"),
        "hbar",
        _l("Level of participation"),
        _l("Requests"),
        "participation",
        _l("The level of participation the orderer asked for, from information to partnership."),
    ),
    "flow_times": ChartSpec(
        _l("Lead times"),
        "vbar",
        _l("Month the request came in"),
        _l("Days (median)"),
        "month",
        _l("Days from the request to the council's decision, and to everyone having accepted."),
    ),
    "flow_rates": ChartSpec(
        _l("Fill, decline and no-answer rates"),
        "line",
        _l("Month"),
        _l("Share"),
        "month",
        _l(
            "Fill rate: approved requests that got everyone they asked for. Decline and no-answer rates: of the invitations sent that month that were answered or ran out."
        ),
        y_max=1.0,
    ),
    "feedback_scores": ChartSpec(
        _l("Survey scores over time"),
        "line",
        _l("Month answered"),
        _l("Mean score (1–5)"),
        "month",
        _l("Months with fewer than five answers to a question are not shown."),
        y_max=5.0,
    ),
    "feedback_led_to": ChartSpec(
        _l("Orderers who said what the contribution led to"),
        "vbar",
        _l("Month the assignment ended"),
        _l("Share of assignments"),
        "month",
        y_max=1.0,
    ),
    "cost_month": ChartSpec(
        _l("Fees and travel per month"), "vbar", _l("Month"), _l("Kronor"), "month", stacked=True
    ),
    "cost_org": ChartSpec(
        _l("Fees and travel per ordering organisation"),
        "hbar",
        _l("Organisation"),
        _l("Kronor"),
        "organisation",
        stacked=True,
    ),
}

#: Series key → label (a few are named by their dataset, below).
SERIES = {
    "pool_count": _l("Members"),
    "pool_share": _l("Pool"),
    "population_count": _l("Population"),
    "population_share": _l("Population"),
    "members": _l("Members"),
    "share": _l("Share"),
    "own": _l("Own experience"),
    "relative": _l("Relative"),
    "booked_count": _l("People booked"),
    "booked_share": _l("Booked"),
    "groups": _l("Groups"),
    "sent": _l("Groups sent"),
    "allowed": _l("Most the pool allowed"),
    "at_ceiling_share": _l("Groups as varied as allowed"),
    "assignments_share": _l("Assignments"),
    "hours_share": _l("Paid hours"),
    "equality": _l("Equal spread"),
    "decision_days": _l("To the council's decision"),
    "decisions": _l("Decisions"),
    "booking_days": _l("To a full booking"),
    "bookings": _l("Full bookings"),
    "fill_rate": _l("Fill rate"),
    "approved": _l("Approved requests"),
    "decline_rate": _l("Declined"),
    "no_answer_rate": _l("No answer"),
    "answered": _l("Invitations answered or run out"),
    "purpose_clear": _l("Purpose was clear (members)"),
    "material_in_time": _l("Material came in time (members)"),
    "felt_heard": _l("Felt heard (members)"),
    "useful": _l("Useful (orderers)"),
    "assignments": _l("Finished assignments"),
    "reported": _l("Outcome reported"),
    "requests": _l("Requests"),
    "fees": _l("Fees"),
    "travel": _l("Travel"),
}
SERIES_BY_DATASET = {
    ("booked_vs_pool", "pool_count"): _l("Members in the pool"),
    ("feedback_led_to", "share"): _l("Outcome reported"),
}
ANSWERS = _l("Answers")
