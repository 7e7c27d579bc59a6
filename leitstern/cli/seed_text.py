"""Word material for `seed-scale`: plausible, varied team OKR text for a large organisation.

Varied enough that full-text search has realistic selectivity (a word like "onboarding" hits
a few percent of the learnings, not all or none).
"""

from __future__ import annotations

import random

AREAS = [
    "Payments", "Search", "Onboarding", "Logistics", "Care", "Platform", "Data", "Mobile",
    "Billing", "Identity", "Marketplace", "Growth", "Partners", "Security", "Insights",
    "Checkout", "Catalogue", "Support", "Infrastructure", "Learning",
]  # fmt: skip

GROUPS = ["Squad", "Crew", "Team", "Guild", "Studio", "Lab", "Unit", "Circle"]

MOALS = [
    ("Customers succeed on their own", "Self-service that works the first time."),
    ("Trusted with every payment", "Zero surprises in money matters."),
    ("A platform teams love to build on", "Shipping is boring in the best way."),
    ("Decisions from evidence", "Every team sees what its work changes."),
    ("Open to partners", "Partners integrate in days, not months."),
    ("Healthy, sustainable pace", "Fewer incidents, calmer weeks."),
]

OBJECTIVES = [
    "Customers finish {area} without asking for help",
    "{area} feels instant on every device",
    "Partners trust our {area} data",
    "New colleagues contribute to {area} in their first week",
    "{area} problems are solved before customers notice",
    "People understand what {area} does for them",
    "Make {area} the calmest part of the week",
    "{area} decisions rest on evidence",
]

METRICS = [
    ("Share of sign-ups finishing onboarding", "%"),
    ("Median time to first value", "min"),
    ("Support tickets per 1,000 orders", "tickets"),
    ("Weekly active teams", "teams"),
    ("Checkout conversion", "%"),
    ("p95 page load", "ms"),
    ("Repeat purchase rate", "%"),
    ("Net promoter score", "points"),
    ("Incidents reaching customers", "incidents"),
    ("Partner integrations live", "partners"),
]

SUBJECTS = [
    "Customers", "New users", "Partners", "Support agents", "Small businesses", "Our pilot group",
    "Returning visitors", "Mobile users", "Admins", "Teams in the trial", "Kunden", "Neue Nutzer",
]  # fmt: skip

FINDINGS = [
    "skipped the onboarding checklist when it had more than five steps",
    "trusted the price only after seeing the delivery date",
    "asked for an export before they asked for a dashboard",
    "read the help article but still called support",
    "came back when the reminder arrived on Monday morning",
    "ignored the banner but clicked the inline hint",
    "stopped at the payment step when the invoice address was required",
    "responded to the personal onboarding call far more than to e-mail",
    "found search results useless without filters for location",
    "churned less after the second successful delivery",
    "brauchten die Anleitung auf Deutsch, bevor sie loslegten",
    "verstanden den Tarif erst mit einem Rechenbeispiel",
]  # fmt: skip

CONSEQUENCES = [
    "so we shortened the flow.",
    "which refuted our pricing hypothesis.",
    "so the metric moved less than we expected.",
    "and the leading indicator showed it two weeks earlier.",
    "so we will test a smaller change next cycle.",
    "which supports the hypothesis for this segment only.",
    "deshalb testen wir im nächsten Zyklus eine kleinere Änderung.",
]

PROBLEMS = [
    "We need access to production logs for the {area} service.",
    "Waiting for an API change from another team before we can measure.",
    "The tracking for {area} double-counts mobile sessions.",
    "Nobody on the team knows the legacy {area} billing code.",
    "Our test accounts expire every week; experiments stall.",
    "Legal review for the {area} experiment takes longer than planned.",
]

HELP = [
    "We wrote that integration last year and can pair for a day.",
    "We have a script that fixes this; happy to share it.",
    "One of us can join your stand-up on Thursday.",
]


def learning_text(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(FINDINGS)}, {rng.choice(CONSEQUENCES)}"


def objective_title(rng: random.Random, area: str) -> str:
    return rng.choice(OBJECTIVES).format(area=area)


def problem_text(rng: random.Random, area: str) -> str:
    return rng.choice(PROBLEMS).format(area=area)
