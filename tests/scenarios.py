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
