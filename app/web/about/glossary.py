"""Words and abbreviations the service uses, explained in plain language (glossary page).

Members complain about "all the abbreviations"; every abbreviation shown anywhere in the UI
should have an entry here, and pages link to the glossary from the footer.
"""

from __future__ import annotations

from app.i18n import lazy_gettext as _l

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
        "bestallare",
        _l("Orderer (beställare)"),
        _l(
            "A department of the region, a municipality or another organisation that asks for "
            "people from the pool for an assignment."
        ),
    ),
    (
        "brukare",
        _l("Service user (brukare)"),
        _l(
            "A person who uses a municipality's care or social services. Municipalities often "
            "say brukare where the region says patient."
        ),
    ),
    (
        "csv",
        _l("CSV and XLSX"),
        _l("File types for tables. They open in a spreadsheet program such as Excel."),
    ),
    (
        "erfarenhetsexpert",
        _l("Experience-based expert (erfarenhetsexpert)"),
        _l(
            "A member of the pool: someone who shares their own experience of illness and "
            "care, or a relative's, so that care gets better."
        ),
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
        "milersattning",
        _l("Mileage allowance (milersättning)"),
        _l(
            "What you get for using your own car: an amount per 10 km (one Swedish mil), the "
            "Tax Agency's tax-free rate."
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
        "foretradare",
        _l("Patient and relative representative (patient- och närståendeföreträdare)"),
        _l(
            "A member who takes part with a mandate from an organisation and speaks for its "
            "members' collected experience, not only their own."
        ),
    ),
    (
        "patientmedverkan",
        _l("Patient participation (patientmedverkan)"),
        _l(
            "That patients, service users and relatives take part in developing care, teaching "
            "and research: what the pool is for."
        ),
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
        "reseersattning",
        _l("Travel reimbursement (reseersättning)"),
        _l("Tickets as paid and mileage allowance for your own car, paid together with the fee."),
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
        "samordning",
        _l("Coordination (samordning)"),
        _l(
            "The people who run the pool, the coordinators (samordnare): they decide on "
            "requests, put groups together, attest claims and pay fees."
        ),
    ),
    (
        "simulerad-patient",
        _l("Simulated patient (simulerad patient)"),
        _l(
            "An assignment where a member plays a patient in teaching, for example when "
            "students practise consultations."
        ),
    ),
    (
        "tid-och-reserakning",
        _l("Claim for time and travel (tid- och reseräkning)"),
        _l(
            "What you send after an assignment: the time it took and your travel. It is "
            "attested before it is paid."
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
        _l(
            "A unit of a region or a municipality that gives care or other services, for "
            "example a ward, a clinic or a health centre. When it asks for people from the "
            "pool, it is an orderer."
        ),
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
