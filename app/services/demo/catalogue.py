"""Static material for the demo data: taxonomy, organisations, names and places."""

from app.models.enums import AssignmentType

#: (code, Swedish name, English name) — parents before children.
AREAS = [
    ("cancer", "Cancer", "Cancer"),
    ("cancer/breast", "Bröstcancer", "Breast cancer"),
    ("cancer/prostate", "Prostatacancer", "Prostate cancer"),
    ("cancer/colorectal", "Tjock- och ändtarmscancer", "Colorectal cancer"),
    ("cancer/lung", "Lungcancer", "Lung cancer"),
    ("cancer/lymphoma", "Lymfom", "Lymphoma"),
    ("psychiatry", "Psykisk ohälsa", "Mental ill-health"),
    ("psychiatry/psychosis", "Psykos", "Psychosis"),
    ("psychiatry/depression", "Depression", "Depression"),
    ("psychiatry/bipolar", "Bipolär sjukdom", "Bipolar disorder"),
    ("psychiatry/anxiety", "Ångest", "Anxiety"),
    ("psychiatry/eating_disorders", "Ätstörningar", "Eating disorders"),
    ("psychiatry/adhd_autism", "Adhd och autism", "ADHD and autism"),
    ("psychiatry/addiction", "Beroende", "Addiction"),
    ("psychiatry/self_harm", "Självskadebeteende", "Self-harm"),
    ("rheumatology", "Reumatisk sjukdom", "Rheumatic disease"),
    ("rheumatology/rheumatoid_arthritis", "Reumatoid artrit", "Rheumatoid arthritis"),
    ("rheumatology/spondyloarthritis", "Spondylartrit", "Spondyloarthritis"),
    ("rheumatology/lupus", "SLE", "Lupus"),
    ("sepsis", "Sepsis", "Sepsis"),
    ("heart_lung", "Hjärt- och lungsjukdom", "Heart and lung disease"),
    ("heart_lung/heart_failure", "Hjärtsvikt", "Heart failure"),
    ("heart_lung/copd", "KOL", "COPD"),
    ("heart_lung/asthma", "Astma", "Asthma"),
    ("neurology", "Neurologi", "Neurology"),
    ("neurology/ms", "MS", "Multiple sclerosis"),
    ("neurology/parkinson", "Parkinsons sjukdom", "Parkinson's disease"),
    ("neurology/stroke", "Stroke", "Stroke"),
    ("neurology/epilepsy", "Epilepsi", "Epilepsy"),
    ("neurology/dementia", "Demens", "Dementia"),
    ("diabetes", "Diabetes", "Diabetes"),
    ("kidney", "Njursjukdom", "Kidney disease"),
    ("palliative", "Palliativ vård", "Palliative care"),
    ("intensive_care", "Intensivvård", "Intensive care"),
    ("child_health", "Barn och ungas hälsa", "Children's and young people's health"),
]

#: (name, kind)
ORGANISATIONS = [
    ("Region Jönköpings län – Psykiatriska kliniken", "region_department"),
    ("Region Jönköpings län – Medicinkliniken Värnamo", "region_department"),
    ("Region Jönköpings län – Onkologiska kliniken", "region_department"),
    ("Region Jönköpings län – Infektionskliniken", "region_department"),
    ("LPO Psykisk hälsa", "process_group"),
    ("LAG Reumatologi", "process_group"),
    ("Processgrupp Sepsis", "process_group"),
    ("Jönköpings kommun – Socialförvaltningen", "municipality"),
    ("Värnamo kommun – Vård och omsorg", "municipality"),
    ("Nässjö kommun", "municipality"),
    ("Hälsohögskolan, Jönköping University", "university"),
    ("NPO Psykisk hälsa", "national_body"),
    ("NAG Sepsis", "national_body"),
    ("Region Kalmar län", "other_region"),
    ("Region Östergötland", "other_region"),
    ("Reumatikerförbundet Jönköpings län", "patient_organisation"),
]
#: The legal payer of the region's departments and process groups, and the host region of the
#: national groups above (docs/domain.md §6.5); the others pay for themselves.
REGION_PAYER = "Region Jönköpings län"
PAID_BY_REGION = ("region_department", "process_group", "national_body")

#: Municipalities of Jönköping county with rough population weights (thousands).
MUNICIPALITIES = {
    "Jönköping": 143,
    "Värnamo": 35,
    "Nässjö": 31,
    "Gislaved": 30,
    "Vetlanda": 27,
    "Tranås": 19,
    "Eksjö": 17,
    "Vaggeryd": 14,
    "Sävsjö": 11,
    "Habo": 12,
    "Gnosjö": 9,
    "Mullsjö": 7,
    "Aneby": 7,
}

WOMEN = (
    "Anna Eva Maria Karin Sara Kristina Lena Emma Kerstin Ingrid Marie Malin Jenny Hanna Linda "
    "Annika Susanne Elin Monica Birgitta Ulla Helena Sofia Camilla Johanna Åsa Agneta Gunilla Ida "
    "Ebba Maja Alva Elsa Amira Leila Aino Fatima Vera Gun Margareta"
).split()
MEN = (
    "Lars Mikael Anders Johan Erik Per Karl Peter Thomas Jan Daniel Fredrik Hans Mats Magnus "
    "Stefan Bengt Sven Nils Björn Oskar Emil Ali Mohammed Jonas Hugo Göran Kjell Rolf Ahmed"
).split()
NONBINARY = "Kim Robin Alex Sam Charlie Love".split()
SURNAMES = (
    "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson "
    "Pettersson Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson Magnusson Olofsson "
    "Lindström Lindqvist Lindgren Axelsson Berg Bergström Lundberg Lind Lundgren Lundqvist Mattsson "
    "Berglund Fredriksson Sandberg Henriksson Forsberg Sjöberg Wallin Engström Eklund Danielsson "
    "Håkansson Lundin Björk Bergman Gunnarsson Holm Samuelsson Fransson Wikström Isaksson Hadžić "
    "Virtanen Korhonen Hassan Mahmoud Yilmaz"
).split()

ASSIGNMENT_TYPES = [kind.value for kind in AssignmentType]

#: (title, type, participation, area codes, experience, count, format, organisation index)
REQUEST_TEMPLATES = [
    (
        "Undervisning för ST-läkare om psykos",
        "education",
        "consultation",
        ["psychiatry/psychosis"],
        "own",
        2,
        "onsite",
        0,
    ),
    (
        "Brukarperspektiv i arbetsgrupp för självskadevård",
        "working_group",
        "partnership",
        ["psychiatry/self_harm"],
        "any",
        2,
        "digital",
        4,
    ),
    (
        "Berättelse på sjuksköterskeprogrammet: leva med cancer",
        "lecture",
        "information",
        ["cancer"],
        "any",
        1,
        "onsite",
        10,
    ),
    (
        "Granskning av patientinformation om reumatoid artrit",
        "review",
        "consultation",
        ["rheumatology/rheumatoid_arthritis"],
        "own",
        2,
        "digital",
        5,
    ),
    (
        "Fokusgrupp: närståendes erfarenhet av sepsis",
        "interview",
        "dialogue",
        ["sepsis"],
        "relative",
        3,
        "digital",
        6,
    ),
    (
        "Utveckling av hjärtsviktsmottagningen",
        "development",
        "partnership",
        ["heart_lung/heart_failure"],
        "any",
        2,
        "onsite",
        1,
    ),
    (
        "Konferens: Nationell sepsisdag",
        "conference",
        "information",
        ["sepsis"],
        "own",
        1,
        "onsite",
        12,
    ),
    (
        "Standardiserad patient i läkarutbildningen – depression",
        "simulated_patient",
        "consultation",
        ["psychiatry/depression"],
        "own",
        2,
        "onsite",
        10,
    ),
    (
        "Referensgrupp för demensvård i kommunen",
        "working_group",
        "dialogue",
        ["neurology/dementia"],
        "relative",
        2,
        "onsite",
        7,
    ),
    (
        "Mentor för nya medarbetare i peer-stöd",
        "coaching",
        "partnership",
        ["psychiatry"],
        "own",
        1,
        "onsite",
        0,
    ),
    (
        "Gap-analys av vårdförlopp bröstcancer",
        "development",
        "dialogue",
        ["cancer/breast"],
        "own",
        2,
        "digital",
        2,
    ),
    (
        "Intervjustudie om KOL och vardagsliv",
        "interview",
        "consultation",
        ["heart_lung/copd"],
        "any",
        2,
        "digital",
        10,
    ),
    (
        "Utbildning om ätstörningar för elevhälsan",
        "education",
        "consultation",
        ["psychiatry/eating_disorders"],
        "any",
        2,
        "onsite",
        8,
    ),
    (
        "Regional arbetsgrupp: MS-vård",
        "working_group",
        "partnership",
        ["neurology/ms"],
        "own",
        2,
        "digital",
        13,
    ),
    (
        "Föreläsning om bipolär sjukdom för anhöriga",
        "lecture",
        "information",
        ["psychiatry/bipolar"],
        "own",
        1,
        "onsite",
        9,
    ),
    (
        "Patientperspektiv på strokerehabilitering",
        "development",
        "dialogue",
        ["neurology/stroke"],
        "any",
        2,
        "onsite",
        1,
    ),
    (
        "Granskning av webbinformation om diabetes",
        "review",
        "consultation",
        ["diabetes"],
        "any",
        2,
        "digital",
        14,
    ),
    (
        "NAG Sepsis: nationell referensgrupp",
        "working_group",
        "partnership",
        ["sepsis"],
        "any",
        2,
        "digital",
        12,
    ),
    (
        "Undervisning för psykologprogrammet – ångest",
        "education",
        "consultation",
        ["psychiatry/anxiety"],
        "own",
        2,
        "digital",
        10,
    ),
    (
        "Brukarråd i socialpsykiatrin",
        "working_group",
        "dialogue",
        ["psychiatry/addiction"],
        "own",
        2,
        "onsite",
        7,
    ),
    (
        "Palliativ vård: närståendes berättelser",
        "lecture",
        "information",
        ["palliative"],
        "relative",
        2,
        "onsite",
        3,
    ),
    (
        "Enkät om väntetider i cancervården",
        "interview",
        "consultation",
        ["cancer"],
        "any",
        3,
        "digital",
        2,
    ),
    (
        "LPO Psykisk hälsa: revidering av vårdprogram",
        "working_group",
        "partnership",
        ["psychiatry/psychosis", "psychiatry/bipolar"],
        "any",
        2,
        "onsite",
        4,
    ),
    (
        "Barn som anhöriga – utbildningsdag",
        "education",
        "dialogue",
        ["child_health"],
        "relative",
        2,
        "onsite",
        8,
    ),
]

#: People the demo's ordinary scenarios must find, whatever the random draws give:
#: (area code, own/relative, age). Each is placed where the pool's even age spread puts that
#: age, made active and findable (consent, training, agreement, weekdays 9–17).
SCENARIO_PEOPLE = [
    ("diabetes", "own", 34),
    ("diabetes", "own", 41),
    ("diabetes", "own", 47),
    ("diabetes", "own", 53),
    ("diabetes", "relative", 62),
    ("psychiatry/psychosis", "own", 27),
    ("psychiatry/psychosis", "own", 38),
    ("psychiatry/psychosis", "relative", 57),
    ("cancer/breast", "own", 45),
    ("cancer/prostate", "own", 68),
    ("cancer/colorectal", "own", 50),
    ("cancer/lymphoma", "relative", 31),
    ("heart_lung/copd", "own", 72),
    ("neurology/stroke", "relative", 80),
]
