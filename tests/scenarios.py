"""Whole rooms built from the factories, shared by the tests and the benchmarks in bench/."""

from tests import factories
from workshops import live


def busy_room(*, facilitator, tables: int, agents: int, kpis: int, people: int = 6):
    """A live workshop with `tables` tables of `agents` ready agents (classified, `kpis` KPIs
    with confirmed targets, economics) and `people` participants each; the projector shows
    the progress board."""
    workshop = factories.make_workshop(facilitator=facilitator, client_organisation="Busy room")
    for t in range(tables):
        table = factories.make_table(workshop=workshop, name=f"Table {t + 1}")
        for a in range(agents):
            factories.make_ready_agent(table=table, kpis=kpis, name=f"Agent {t + 1}.{a + 1}")
        for p in range(people):
            factories.make_participant(table=table, display_name=f"Person {t + 1}.{p + 1}")
    live.run_start(workshop=workshop)
    live.projector_show(workshop=workshop, view="board")
    workshop.refresh_from_db()
    return workshop


FULL_ROOM_AGENTS = (
    # (table, name, economic class, value driver, subject, mechanism)
    (
        "Table A",
        "Invoice Triage Agent",
        "bottom_line",
        "labour_savings",
        "manual invoice matching hours in accounts payable",
        "matching invoices to purchase orders and routing exceptions to the right approver",
    ),
    (
        "Table A",
        "Supplier Onboarding Assistant",
        "bottom_line",
        "cycle_time",
        "the days it takes to onboard a new supplier",
        "collecting tax forms, bank details and certificates and checking them against policy",
    ),
    (
        "Table A",
        "Upsell Proposal Writer",
        "top_line",
        "conversion",
        "premium-tier upgrades sold to existing freight customers",
        "drafting tailored upgrade proposals from each customer's shipping history",
    ),
    (
        "Table B",
        "Claims Intake Agent",
        "bottom_line",
        "labour_savings",
        "hours spent keying damage claims into the claims system",
        "reading claim e-mails and attachments and filling in the claim record",
    ),
    (
        "Table B",
        "Contract Clause Checker",
        "bottom_line",
        "error_reduction",
        "penalties paid for missed contract obligations",
        "flagging renewal, notice and penalty clauses before their deadlines pass",
    ),
    (
        "Table B",
        "Quote Turnaround Agent",
        "top_line",
        "new_capacity",
        "spot freight quotes answered within the hour",
        "pricing routine spot requests from the rate cards so sales handle only the unusual",
    ),
    (
        "Table C",
        "IT Helpdesk Deflector",
        "bottom_line",
        "labour_savings",
        "first-line helpdesk tickets handled by people",
        "answering password, access and how-to questions from the knowledge base",
    ),
    (
        "Table C",
        "Month-End Reconciliation Agent",
        "bottom_line",
        "cycle_time",
        "the days needed to close the books each month",
        "reconciling intercompany balances and proposing the adjusting entries",
    ),
)


def full_room(*, facilitator, view: str = "board"):
    """The room the projector is measured with: why FinOps matters now, 3 tables, 8 agents
    (6 bottom line, 2 top line) with 3 KPIs each (one of every agent not measurable yet and
    without a baseline; none needs instrumentation), 6 people a table; the projector shows
    `view`."""
    workshop = factories.make_workshop(
        facilitator=facilitator,
        client_organisation="Northwind Logistics",
        why_now=(
            "Our AI spend tripled this year while nobody can say which agents pay for "
            "themselves. The board wants every agent in next year's budget backed by a value "
            "target that finance has signed off."
        ),
    )
    tables = {}
    for table_name, name, economic_class, driver, subject, mechanism in FULL_ROOM_AGENTS:
        if table_name not in tables:
            tables[table_name] = factories.make_table(workshop=workshop, name=table_name)
            for p in range(6):
                factories.make_participant(
                    table=tables[table_name], display_name=f"{table_name} person {p + 1}"
                )
        agent = factories.make_ready_agent(table=tables[table_name], kpis=2, name=name)
        factories.classify_agent(
            agent,
            economic_class=economic_class,
            value_driver=driver,
            thesis_subject=subject,
            thesis_mechanism=mechanism,
        )
        factories.make_agent_kpi(
            agent=agent,
            name=f"Share of {name.lower()} work redone after review",
            feasibility="not_yet",
            data_source_system="",
            data_source_owner="",
            baseline_value=None,
            baseline_as_of=None,
            baseline_source="",
            no_baseline=True,
        )
    live.run_start(workshop=workshop)
    live.projector_show(workshop=workshop, view=view)
    workshop.refresh_from_db()
    return workshop
