"""Plausible names, agencies and places for generated accounts and cohorts. Pure."""

FIRST_NAMES = (
    "Dana", "Marcus", "Renee", "Sam", "Aiyana", "Tomas", "Keisha", "Wyatt", "Lena", "Joaquin", "Priya", "Elijah",
    "Hannah", "Darnell", "Mei", "Cody", "Rosa", "Tyler", "Nadia", "Grant", "Winona", "Luis", "Brooke", "Omar",
    "Shawna", "Cole", "Imani", "Travis", "Yesenia", "Kyle", "Tallulah", "Andre", "Megan", "Jesse", "Noemí", "Ray",
    "Colleen", "Isaiah", "Kateri", "Brandon", "Lucía", "Derek", "Tasha", "Miguel", "Heather", "Chayton", "Erin",
    "Victor", "Sienna", "Malik",
)
LAST_NAMES = (
    "Whitfield", "Ortega", "Blackfeather", "Keller", "Yazzie", "Nguyen", "Johnson", "Running Bear", "O'Neill",
    "Martinez", "Begay", "Thompson", "Okafor", "Larsen", "Tsosie", "Chen", "Rivera", "Redcloud", "Walker",
    "Hernández", "Two Bulls", "Patel", "Morgan", "Silversmith", "Kowalski", "Brooks", "Lightfoot", "Garcia",
    "Andersen", "Nez", "Fitzgerald", "Jim", "Reyes", "Harjo", "Sullivan", "Begaye", "Dubois", "Wolf", "Castillo",
    "Peters",
)
DISCIPLINES = (
    "Probation", "Parole", "Law enforcement", "Prosecution", "Treatment provider", "Victim advocacy",
    "Registration and notification", "Tribal court", "Juvenile services", "Corrections",
)
STATES = ("Arizona", "New Mexico", "Montana", "South Dakota", "Oklahoma", "Minnesota", "Washington", "Wisconsin",
          "Oregon", "Idaho", "Colorado", "North Dakota", "Nebraska", "Utah", "Nevada")
AGENCY_KINDS = ("County Probation Department", "Adult Parole Office", "Sheriff's Office", "District Attorney's Office",
                "Juvenile Court Services", "Department of Corrections", "Police Department", "Victim Services Unit")
TRIBAL_JURISDICTIONS = (
    "Fort Belknap Indian Community", "Standing Rock Sioux Tribe", "Tohono O'odham Nation", "Pueblo of Laguna",
    "Cheyenne River Sioux Tribe", "Confederated Tribes of the Umatilla", "Leech Lake Band of Ojibwe",
    "Muscogee (Creek) Nation", "Oneida Nation", "Crow Tribe of Montana", "Hopi Tribe", "Yakama Nation",
)
CITIES = ("Flagstaff", "Albuquerque", "Billings", "Rapid City", "Tulsa", "Duluth", "Spokane", "Green Bay", "Bend",
          "Boise", "Pueblo", "Bismarck", "Omaha", "Provo", "Reno", "Gallup", "Missoula", "Pierre", "Norman", "Bemidji")


def person(rng, number):
    """(name, agency, discipline, jurisdiction) for the `number`th generated trainee."""
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    state = rng.choice(STATES)
    if rng.random() < 0.3:
        jurisdiction = rng.choice(TRIBAL_JURISDICTIONS)
        agency = f"{jurisdiction} {rng.choice(('Police Department', 'Probation Office', 'SORNA Office'))}"
    else:
        city = rng.choice(CITIES)
        jurisdiction = f"{city}, {state}"
        agency = f"{city} {rng.choice(AGENCY_KINDS)}"
    return name, agency, rng.choice(DISCIPLINES), jurisdiction


def email_for(name, tag, number, domain="generated.example.org"):
    """A unique address: the name, the run's tag and a serial number."""
    local = "".join(ch for ch in name.lower().replace(" ", ".") if ch.isascii() and (ch.isalnum() or ch == "."))
    return f"{local}.{tag}{number}@{domain}"


def cohort_place(rng, tribal):
    return rng.choice(TRIBAL_JURISDICTIONS) if tribal else f"{rng.choice(CITIES)}, {rng.choice(STATES)}"
