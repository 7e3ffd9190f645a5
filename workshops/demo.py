"""A demo workshop (a fictional client, 3 tables, 8 agents) for a newcomer to click through."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from agents.models import Agent

from .models import Workshop
from .services import facilitator_role_grant, table_create, workshop_create

DEMO_CLIENT = "Northwind Logistics (demo)"

# (name, description, business process, rank, owner, owner email, table index)
DEMO_AGENTS = [
    ("Invoice Triage Agent", "Reads supplier invoices, matches them to purchase orders and routes exceptions.",
     "Accounts payable", 1, "Dana Whitfield", "dana.whitfield@northwind.example", 0),
    ("Customer Service Copilot", "Drafts answers to shipment enquiries for agents to approve.",
     "Customer service", 2, "Luis Romero", "luis.romero@northwind.example", 0),
    ("Freight Quote Generator", "Prices ad-hoc freight requests from lane history within minutes.",
     "Sales", 3, "Priya Natarajan", "priya.natarajan@northwind.example", 1),
    ("Customs Document Checker", "Checks customs declarations against shipment data before filing.",
     "Trade compliance", 4, "Tomasz Nowak", "tomasz.nowak@northwind.example", 1),
    ("Route Exception Assistant", "Proposes re-routing when a delay is detected and notifies customers.",
     "Operations", 5, "Aisha Bello", "aisha.bello@northwind.example", 1),
    ("Contract Clause Reviewer", "Flags non-standard clauses in carrier contracts for legal review.",
     "Procurement", 6, "Marcus Lee", "marcus.lee@northwind.example", 2),
    ("Warehouse Slotting Advisor", "Suggests slot changes from order patterns each week.",
     "Warehousing", 7, "Hannah Schmidt", "hannah.schmidt@northwind.example", 2),
    ("Upsell Lead Finder", "Finds customers whose volumes suggest a premium service tier.",
     "Account management", 8, "Kenji Watanabe", "kenji.watanabe@northwind.example", 2),
]  # fmt: skip

# Block 2 for the demo: (classification, value driver, thesis subject, thesis mechanism), so the
# sentences on the portfolio read as the guide's "This agent exists to ... by ...".
DEMO_THESES = {
    "Invoice Triage Agent": ("bottom_line", "labour_savings",
        "the hours accounts payable clerks spend matching supplier invoices",
        "matching invoices to purchase orders and routing only the exceptions to a clerk"),
    "Customer Service Copilot": ("bottom_line", "cycle_time",
        "answering shipment enquiries in customer service",
        "drafting answers from shipment data for an agent to approve"),
    "Freight Quote Generator": ("top_line", "speed_to_market",
        "ad-hoc freight requests lost to slow quotes",
        "pricing each request from lane history within minutes"),
    "Customs Document Checker": ("bottom_line", "error_reduction",
        "customs declarations rejected or corrected after filing",
        "checking each declaration against the shipment data before it is filed"),
    "Route Exception Assistant": ("bottom_line", "labour_savings",
        "the planner hours spent re-routing delayed shipments",
        "proposing a new route when a delay is detected and notifying the customer"),
    "Contract Clause Reviewer": ("bottom_line", "cycle_time",
        "legal review of carrier contracts",
        "flagging non-standard clauses so lawyers read only those"),
    "Warehouse Slotting Advisor": ("bottom_line", "labour_savings",
        "picker walking time in the warehouses",
        "suggesting weekly slot changes from order patterns"),
    "Upsell Lead Finder": ("top_line", "conversion",
        "premium service tiers sold to existing accounts",
        "finding customers whose volumes suggest a premium tier"),
}  # fmt: skip


@transaction.atomic
def demo_workshop_create() -> tuple[Workshop, bool]:
    """Create the demo workshop for every superuser, unless it exists. Returns (workshop,
    created)."""
    existing = Workshop.objects.filter(client_organisation=DEMO_CLIENT).first()
    if existing:
        return existing, False
    facilitators = list(get_user_model().objects.filter(is_superuser=True))
    if not facilitators:
        raise ValueError("Create a facilitator account before the demo workshop.")
    workshop = workshop_create(
        facilitator=facilitators[0],
        client_organisation=DEMO_CLIENT,
        title="AI FinOps Workshop",
        date=datetime.date.today() + datetime.timedelta(days=7),
        venue="Head office, Room 4.01",
        currency="EUR",
    )
    workshop.facilitators.add(*facilitators[1:])
    for user in facilitators:
        facilitator_role_grant(user=user)
    tables = [table_create(workshop=workshop, name=f"Table {n}") for n in ("A", "B", "C")]
    Agent.objects.bulk_create(
        Agent(
            workshop=workshop,
            table=tables[table_index],
            name=name,
            description=description,
            business_process=process,
            priority_rank=rank,
            owner_name=owner,
            owner_email=email,
            economic_class=DEMO_THESES[name][0],
            value_driver=DEMO_THESES[name][1],
            thesis_subject=DEMO_THESES[name][2],
            thesis_mechanism=DEMO_THESES[name][3],
        )
        for name, description, process, rank, owner, email, table_index in DEMO_AGENTS
    )
    return workshop, True
