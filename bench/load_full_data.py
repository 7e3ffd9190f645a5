"""The workshop the whole-workshop mix (bench/load_full.py) starts from, and the check of the
database against every change the server acknowledged. The two scripts run in
`manage.py shell -c`."""

import re
from decimal import Decimal, InvalidOperation

from loadkit import Stats

# What each of the three people sharing an agent owns, per record: one writer per field.
OWNED = {
    "agent": ["description", "business_process", "owner_name"],
    "classify": ["thesis_subject", "thesis_mechanism", "value_driver_other"],
    "kpi": ["data_source_system", "data_source_owner", "baseline_source"],
    # The page edits only a vendor claim's discount; the other two add evidence instead.
    "benchmark": ["discount_percent"],
    "constraints": ["notes", "adoption_6m_percent", "data_readiness"],
    "thresholds": ["assumptions", "stretch_12m", "floor_6m"],
}

SETUP = """
import datetime, json
from decimal import Decimal
from django.contrib.auth import get_user_model
from agents.models import Agent
from foundation.models import Question
from kpis import services as kpi_services
from targets import services as target_services
from workshops import live, services
user = get_user_model().objects.get(username=%(username)r)
workshop = services.workshop_create(
    facilitator=user, client_organisation="Load test", date=datetime.date.today()
)
tables = []
for t in range(%(tables)d):
    table = services.table_create(workshop=workshop, name=f"Table {t + 1}")
    agents = []
    for a in range(%(agents)d):
        agent = Agent.objects.create(
            workshop=workshop, table=table, name=f"Agent {t + 1}.{a + 1}",
            description="Reads invoices.", business_process="Accounts payable",
            priority_rank=a + 1, owner_name="Dana", owner_email="dana@example.com",
            economic_class="bottom_line", value_driver="other",
            value_driver_other="invoice backlog days",
            thesis_subject="manual invoice matching hours in accounts payable",
            thesis_mechanism="matching invoices to purchase orders and routing exceptions",
        )
        kpi = kpi_services.agent_kpi_add(agent=agent, values={
            "name": "Invoices matched per week", "category": "efficiency",
            "unit": "invoices per week", "direction": "higher",
            "data_source_system": "SAP", "data_source_owner": "AP lead",
            "measurement_frequency": "weekly", "feasibility": "measurable",
            "baseline_value": Decimal(100),
            "baseline_as_of": datetime.date.today() - datetime.timedelta(days=7),
            "baseline_source": "AP ledger export", "no_baseline": False,
        })
        benchmark = target_services.benchmark_add(kpi=kpi, values={
            "kind": "vendor", "description": "Vendor case study: freight forwarder",
            "improvement_percent": Decimal(60), "source": "Vendor white paper",
            "discount_percent": Decimal(40),
        })
        target_services.constraints_set(kpi=kpi, version=None, values={
            "change_management": True, "data_readiness": False,
            "organisational_capacity": False, "other": False,
            "notes": "Clerks need training", "adoption_6m_percent": Decimal(30),
            "adoption_12m_percent": Decimal(80),
        })
        target_services.targets_set(kpi=kpi, version=None, values={
            "floor_6m": Decimal(100), "target_6m": Decimal(110), "stretch_6m": Decimal(120),
            "floor_12m": Decimal(105), "target_12m": Decimal(125), "stretch_12m": Decimal(150),
            "assumptions": "Invoice volumes stay flat",
        })
        agents.append({"id": agent.pk, "kpi": kpi.pk, "benchmark": benchmark.pk})
    tables.append({"code": table.join_code, "agents": agents})
live.run_start(workshop=workshop)
live.projector_show(workshop=workshop, view="board")
questions = list(Question.objects.filter(active=True).values_list("pk", flat=True))
print("BENCH_SETUP " + json.dumps(
    {"workshop": workshop.pk, "tables": tables, "questions": questions}
))
"""

CHECK = """
import json
from decimal import Decimal
from agents.models import Agent
from foundation.models import Answer
from kpis.models import AgentKpi
from targets.models import BenchmarkEvidence, ConstraintAnalysis, ValueTarget
w = %(workshop)d
def rows(queryset, key, fields):
    plain = lambda v: format(v.normalize(), "f") if isinstance(v, Decimal) else v
    return {str(r[key]): {f: plain(r[f]) for f in fields} for r in queryset.values(key, *fields)}
out = {
    "agent": rows(Agent.objects.filter(workshop_id=w), "pk", %(agent)r + %(classify)r),
    "kpi": rows(AgentKpi.objects.filter(agent__workshop_id=w), "pk", %(kpi)r),
    "kpi_new": [f"{a}:{n}" for a, n in
                AgentKpi.objects.filter(agent__workshop_id=w).values_list("agent_id", "name")],
    "benchmark": rows(BenchmarkEvidence.objects.filter(kpi__agent__workshop_id=w), "pk",
                      %(benchmark)r),
    "benchmark_new": [f"{k}:{d}" for k, d in BenchmarkEvidence.objects.filter(
        kpi__agent__workshop_id=w).values_list("kpi_id", "description")],
    "constraints": rows(ConstraintAnalysis.objects.filter(kpi__agent__workshop_id=w), "kpi_id",
                        %(constraints)r),
    "target": rows(ValueTarget.objects.filter(kpi__agent__workshop_id=w), "kpi_id",
                   %(thresholds)r),
    "answer": {f"{r}:{n}": c for r, n, c in Answer.objects.filter(
        run__round__workshop_id=w).values_list("run_id", "participant__display_name", "choice")},
}
print("BENCH_CHECK " + json.dumps(out, default=str))
"""


def canon(value) -> str:
    """A value as the check compares it: numbers by value, booleans and text as they are."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if value is None:
        return ""
    text = str(value)
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        try:
            return format(Decimal(text).normalize(), "f")
        except InvalidOperation:
            return text
    return text


def setup_script(username: str, tables: int, agents: int) -> str:
    return SETUP % {"username": username, "tables": tables, "agents": agents}


def check_script(workshop_id: int) -> str:
    return CHECK % {"workshop": workshop_id, **{kind: OWNED[kind] for kind in OWNED}}


def lost_writes(stats: Stats, saved: dict) -> list[str]:
    """Every acknowledged change the database does not hold (a change whose answer never
    arrived may have landed: either value is accepted)."""
    lost = []
    for key, value in stats.acked.items():
        table, record, name = key
        if table in ("kpi_new", "benchmark_new"):
            now = "present" if f"{record}:{name}" in saved[table] else "missing"
            expected = "present"
        elif table == "answer":
            now = canon(saved["answer"].get(f"{record}:{name}"))
            expected = canon(value)
        else:
            row = saved["agent" if table == "classify" else table].get(str(record), {})
            now, expected = canon(row.get(name)), canon(value)
        unknown = stats.unknown.get(key)
        if now != expected and (unknown is None or now != canon(unknown)):
            lost.append(f"{table} {record} {name}: acknowledged {value!r}, stored {now!r}")
    return lost
