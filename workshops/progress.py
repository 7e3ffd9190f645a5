"""How far each agent has come through Blocks 2-4, for the table workspace, the agent page and
the live progress board.

The steps are the workshop outputs the guide lists for every agent: classified, economic
thesis, KPIs, targets, finance sign-off. Each step is answered by a function of the agent:
True (done), False (not yet) or None (not available in this installation, shown as "—").

Later blocks plug in from their app's `ready()`:

    from workshops import progress
    progress.provide(
        "kpis",
        done=lambda agent: 2 <= len(agent.selected_kpis.all()) <= 3,
        prefetch=("selected_kpis",),           # keeps the board's query count flat
        url=lambda agent: reverse("kpis:select", args=[agent.pk]),  # the table's form
        template="kpis/includes/agent_step.html",  # or a block included on the agent page
    )

`done` must only touch what `prefetch` (or plain fields) provides, so the board's query count
does not grow with the number of agents. The agent page lists `agent_steps(agent)`: each
step's status and the link or included template through which the table works on it.
"""

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Prefetch

from .joining import is_present
from .models import Participant


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    block: int
    done: Callable[[Any], bool | None] | None = None
    prefetch: tuple[str, ...] = ()
    # The table's form for this step: a URL for the agent, and/or a template included on the
    # agent page (context: agent, step, participant, editable).
    url: Callable[[Any], str] | None = None
    template: str | None = None
    extra: dict = field(default_factory=dict)


def _attribute(name: str) -> Callable[[Any], bool | None]:
    """Done when the agent's attribute is truthy; not available while the model lacks it."""

    def done(agent) -> bool | None:
        if not hasattr(agent, name):
            return None
        return bool(getattr(agent, name))

    return done


STEPS: dict[str, Step] = {
    step.key: step
    for step in [
        Step("classified", "Classified", 2, done=_attribute("is_classified")),
        Step("thesis", "Thesis", 2, done=_attribute("thesis")),
        Step("kpis", "KPIs", 3),
        Step("targets", "Targets", 4),
        Step("signed_off", "Signed off", 4),
    ]
}


def provide(key: str, **changes) -> None:
    """Give a step its `done` function, `prefetch`, `url` or `template` (see the module
    docstring). An unknown key adds a new step (pass label and block)."""
    if key in STEPS:
        STEPS[key] = replace(STEPS[key], **changes)
    else:
        STEPS[key] = Step(key=key, **changes)


def steps() -> list[Step]:
    """The steps in board order: by block, then as registered."""
    return sorted(STEPS.values(), key=lambda step: step.block)


def prefetches() -> list[str]:
    """What the board's agent query must prefetch for every step's `done`."""
    return sorted({name for step in STEPS.values() for name in step.prefetch})


def _status(step: Step, agent) -> bool | None:
    return None if step.done is None else step.done(agent)


def step_status(key: str, agent) -> bool | None:
    """One step's status for one agent (None when no app answers it)."""
    step = STEPS.get(key)
    return None if step is None else _status(step, agent)


def agent_progress(agent) -> dict[str, bool | None]:
    """{step key: True / False / None (not available)} for one agent."""
    return {step.key: _status(step, agent) for step in steps()}


def agent_steps(agent) -> list[dict]:
    """The agent page's steps: label, block, status, and where the table works on it."""
    return [
        {
            "key": step.key,
            "label": step.label,
            "block": step.block,
            "status": _status(step, agent),
            "url": step.url(agent) if step.url else None,
            "template": step.template,
        }
        for step in steps()
    ]


def completion(statuses: list[dict[str, bool | None]]) -> tuple[int, int]:
    """(done, total) over the available steps of the given agents."""
    done = total = 0
    for status in statuses:
        for value in status.values():
            if value is None:
                continue
            total += 1
            done += bool(value)
    return done, total


# --- Reads for the workspace and the board ----------------------------------------------------


def _agents_queryset():
    from django.apps import apps

    # Agents live in the agents app, which depends on this one: looked up, not imported.
    return apps.get_model("agents", "Agent").objects.prefetch_related(*prefetches())


# Each table's agents with their progress, kept per table revision (which goes up with any
# change to the table's agents, see workshops/changes.py): a board re-rendered after work at
# one table computes that table only. Bounded; per process.
@dataclass
class TableRows:
    """A table's agents with their progress ([{"agent", "progress"}]), and what views
    rendered from them (by name), kept as long as they are."""

    agents: list[dict]
    fragments: dict = field(default_factory=dict)


_ROWS: OrderedDict[tuple, TableRows] = OrderedDict()
_ROWS_LOCK = threading.Lock()
ROWS_KEPT = 512


def _rows_key(table) -> tuple:
    # The join code tells apart tables that reuse a primary key in another database; the
    # steps' identities, a step provided or replaced since.
    return (table.pk, table.join_code, table.revision, tuple(map(id, STEPS.values())))


def rows_forget() -> None:
    """Forget every kept table's rows (as a fresh process starts)."""
    with _ROWS_LOCK:
        _ROWS.clear()


def tables_rows(tables) -> dict[int, TableRows]:
    """{table pk: TableRows} for the given tables, which must have been read just before
    (their `revision` is the key). Tables unchanged since an earlier call cost nothing; the
    others one query plus one per step prefetch, however many they are."""
    found, missing = {}, []
    with _ROWS_LOCK:
        for table in tables:
            rows = _ROWS.get(_rows_key(table))
            if rows is None:
                missing.append(table)
            else:
                _ROWS.move_to_end(_rows_key(table))
                found[table.pk] = rows
    if not missing:
        return found
    fresh = {table.pk: TableRows(agents=[]) for table in missing}
    for agent in _agents_queryset().filter(table_id__in=list(fresh)):
        fresh[agent.table_id].agents.append({"agent": agent, "progress": agent_progress(agent)})
    with _ROWS_LOCK:
        for table in missing:
            _ROWS[_rows_key(table)] = fresh[table.pk]
        while len(_ROWS) > ROWS_KEPT:
            _ROWS.popitem(last=False)
    return found | fresh


def table_agents(*, table) -> list[dict]:
    """The table's agents, each with its progress: [{"agent", "progress"}]. Query count does
    not grow with agents (one query plus one per step prefetch)."""
    agents = _agents_queryset().filter(table=table)
    return [{"agent": agent, "progress": agent_progress(agent)} for agent in agents]


def board(*, workshop, now) -> dict:
    """Tables x agents x steps with each table's completion and who is present. Two queries
    plus, for the tables changed since the last board, one and one per step prefetch,
    whatever the number of tables, agents and participants."""
    people = Participant.objects.filter(removed=False).only(
        "pk", "table_id", "display_name", "last_seen_at"
    )
    tables = list(
        workshop.tables.order_by("position", "name").prefetch_related(
            Prefetch("participants", queryset=people)
        )
    )
    table_rows = tables_rows(tables)
    rows = []
    all_statuses = []
    for table in tables:
        agents = table_rows[table.pk]
        statuses = [row["progress"] for row in agents.agents]
        all_statuses.extend(statuses)
        done, total = completion(statuses)
        participants = list(table.participants.all())
        for participant in participants:
            participant.present = is_present(participant, now)
        rows.append(
            {
                "table": table,
                "agents": agents.agents,
                "fragments": agents.fragments,
                "done": done,
                "total": total,
                "percent": round(100 * done / total) if total else 0,
                "participants": participants,
                "present": sum(1 for p in participants if p.present),
            }
        )
    done, total = completion(all_statuses)
    return {
        "steps": steps(),
        "tables": rows,
        "anyone_joined": any(row["participants"] for row in rows),
        "done": done,
        "total": total,
        "percent": round(100 * done / total) if total else 0,
    }


def table_digest(*, table_id: int) -> str:
    """A digest of what the board and the table's workspace show of its agents: names,
    business processes and step marks. One query plus one per step prefetch."""
    agents = _agents_queryset().filter(table_id=table_id).order_by("pk")
    marks = [
        [agent.pk, agent.name, agent.business_process, [_status(s, agent) for s in steps()]]
        for agent in agents
    ]
    return hashlib.sha256(json.dumps(marks).encode()).hexdigest()
