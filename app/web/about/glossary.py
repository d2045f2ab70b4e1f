"""Words and abbreviations the service uses, explained in plain language (glossary page).

Members complain about "all the abbreviations"; every abbreviation shown anywhere in the UI
should have an entry here, and pages link to the glossary from the footer.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: (anchor, term, explanation) in alphabetical order of the Swedish term.
GLOSSARY = (
    (
        "arbetsgivaravgift",
        _l("Employer's contribution (arbetsgivaravgift)"),
        _l(
            "A charge the payer pays to the state on top of your fee. You do not pay it, "
            "and it is not taken from your fee."
        ),
    ),
    (
        "arvode",
        _l("Fee (arvode)"),
        _l(
            "The money you get for an assignment. It is a share of the price base amount "
            "and depends on how long the assignment takes, travel included."
        ),
    ),
    (
        "attest",
        _l("Attest"),
        _l("The council checks and approves your report of time and travel before it is paid."),
    ),
    (
        "csv",
        _l("CSV and XLSX"),
        _l("File types for tables. They open in a spreadsheet program such as Excel."),
    ),
    (
        "forsakringskassan",
        _l("Försäkringskassan"),
        _l(
            "The Swedish Social Insurance Agency. A fee is income: if you get sickness or "
            "activity compensation or another benefit, ask them how the fee affects it "
            "before you accept."
        ),
    ),
    (
        "gdpr",
        _l("GDPR"),
        _l(
            "The law on personal data. Your experience of illness is sensitive personal data: "
            "it is stored only with your consent and only the council can see it."
        ),
    ),
    (
        "javsdeklaration",
        _l("Conflict-of-interest declaration (jävsdeklaration)"),
        _l(
            "A short statement of ties that could affect your contribution, for example work "
            "for a company that sells medicines. You sign it when you accept an assignment."
        ),
    ),
    (
        "kalenderfil",
        _l("Calendar file (.ics)"),
        _l(
            "A file that your calendar (Outlook, Google or Apple) can read to add the "
            "meeting. Open it, or use the links in the e-mail to add the meeting."
        ),
    ),
    (
        "lpo",
        _l("LPO and LAG"),
        _l(
            "Local programme area and local working group: the region's groups that develop "
            "care for one area, for example cancer or mental health."
        ),
    ),
    (
        "npo",
        _l("NPO and NAG"),
        _l(
            "National programme area and national working group: the same kind of groups for "
            "the whole country."
        ),
    ),
    (
        "narstaende",
        _l("Relative (närstående)"),
        _l("A family member or someone else close who has supported a person through illness."),
    ),
    (
        "pbb",
        _l("PBB – price base amount (prisbasbelopp)"),
        _l(
            "An amount the government sets each year. Fees are a share of it: 0.9 per cent for "
            "up to 2 hours, 1.8 per cent for up to 4 hours and 3.6 per cent for longer assignments."
        ),
    ),
    (
        "reserv",
        _l("Reserve"),
        _l("A person who is asked if someone in the chosen group cannot come."),
    ),
    (
        "rpo",
        _l("RPO and RAG"),
        _l(
            "Regional programme area and regional working group: the same kind of groups for "
            "the health-care region, which covers several counties."
        ),
    ),
    (
        "uppdrag",
        _l("Assignment (uppdrag)"),
        _l(
            "A meeting, a lesson or another task where you share your experience, for example "
            "teaching doctors or taking part in a working group."
        ),
    ),
    (
        "verksamhet",
        _l("Department (verksamhet)"),
        _l("A part of the region, a municipality or another organisation that asks for people."),
    ),
    (
        "overenskommelse",
        _l("Agreement (överenskommelse)"),
        _l(
            "What you and the region agree on: the assignment, the time, the fee, who is "
            "responsible for information and who your contact person is."
        ),
    ),
)
