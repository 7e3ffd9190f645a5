"""What changed in a workshop, by scope, so a live region re-renders only when something it
shows changed.

Every service announces its change inside its own transaction with
`workshop_touch(workshop_id=..., scopes=..., table_ids=...)` (workshops/services.py), naming
one of the kinds of change below. The scopes:

- ROOM: the run state every screen shows: the current activity and its countdown, the
  workshop's status and title, the open knowledge-check question.
- TABLE: one table's own things: its agents and their work, its people. `table_ids` names the
  tables; None means every table of the workshop.
- BOARD: the facilitators' overview: tables with their codes and locks, who joined, agents'
  names and seats, every agent's step marks, what the projector shows.
- WORK: agents' work as the workshop-wide reviews show it: portfolio, feasibility check,
  finance status and review, knowledge-check answers.
- MARKS: work on an agent that may move one of its step marks: bumps BOARD, and the SUMMARY of
  the agent's table, only when what they show of the table's agents (names, business
  processes, marks: `progress.table_digest`) changed.

Two more a region can watch, moved by `workshop_touch` or by the save itself:

- SUMMARY: a table's summary, as its workspace shows it: its agents' names, business processes
  and step marks, its people. Goes up with BOARD for the named tables, or when MARKS finds the
  digest changed.
- AGENT: one agent's own `version`, which every save of the agent moves (an agent page).

A live region watches some of these. The `rev` it carries is the sum of their revisions: each
only goes up, so the sum changes exactly when one of them does, and an unchanged poll is
answered from one row (the workshop, or the participant joined to its table and workshop).
"""

import enum
from collections.abc import Iterable, Mapping


class Scope(enum.StrEnum):
    ROOM = "room"
    TABLE = "table"
    BOARD = "board"
    WORK = "work"
    MARKS = "marks"
    SUMMARY = "summary"
    AGENT = "agent"


# --- Kinds of change: what a service passes as `scopes` ----------------------------------------

# Run state: start, pause, next, minutes added, the agenda's text, the quiz opened or closed.
RUN = frozenset({Scope.ROOM})
# Work on one agent (details, classification, thesis, KPIs, targets, finance's answer).
AGENT_WORK = frozenset({Scope.TABLE, Scope.MARKS, Scope.WORK})
# Who sits where: tables added, renamed or removed; agents added, seated, renamed or removed.
SEATING = frozenset({Scope.TABLE, Scope.BOARD, Scope.WORK})
# People at a table: joined, removed, the table locked.
PEOPLE = frozenset({Scope.TABLE, Scope.BOARD})
# What only the overview shows: a table's join code, the projector's choice.
OVERVIEW = frozenset({Scope.BOARD})
# What only the workshop-wide reviews show: quiz answers, finance reviewers and invites.
REVIEW = frozenset({Scope.WORK})
# Who of finance is in the room: the presenter and the projector's finance view say so, and
# finance status lists them.
PRESENCE = frozenset({Scope.BOARD, Scope.WORK})
# The whole workshop (its settings, an import): every region refreshes.
EVERYTHING = frozenset({Scope.ROOM, Scope.TABLE, Scope.BOARD, Scope.WORK})
# Shown by no live region (pre-work, post-workshop actions): only `Workshop.revision` moves.
NOT_LIVE: frozenset[Scope] = frozenset()

KINDS = {
    "RUN": RUN,
    "AGENT_WORK": AGENT_WORK,
    "SEATING": SEATING,
    "PEOPLE": PEOPLE,
    "OVERVIEW": OVERVIEW,
    "REVIEW": REVIEW,
    "PRESENCE": PRESENCE,
    "EVERYTHING": EVERYTHING,
    "NOT_LIVE": NOT_LIVE,
}

# --- What a region watches ---------------------------------------------------------------------

# A participant's knowledge-check screen: the room (the question opened or closed).
ROOM_REGION = (Scope.ROOM,)
# A table's workspace: the room, the table's agents with their marks, its people.
WORKSPACE_REGION = (Scope.ROOM, Scope.SUMMARY)
# An agent page at a table: the room and the agent.
AGENT_REGION = (Scope.ROOM, Scope.AGENT)
# An agent's Block 4 page: the room and everything of the agent's table.
TABLE_REGION = (Scope.ROOM, Scope.TABLE)
# The presenter and the progress board.
ROOM_OVERVIEW = (Scope.ROOM, Scope.BOARD)
# Portfolio, feasibility check, finance status and review, the facilitator's knowledge check.
WORK_REVIEW = (Scope.ROOM, Scope.WORK)

# Where each workshop-level scope's revision is kept.
WORKSHOP_FIELDS = {
    Scope.ROOM: "room_revision",
    Scope.BOARD: "board_revision",
    Scope.WORK: "work_revision",
}


def workshop_bumps(scopes: Iterable[Scope]) -> list[str]:
    """The workshop fields a change of `scopes` bumps."""
    return [field for scope, field in WORKSHOP_FIELDS.items() if scope in scopes]


# Where the others are found, as named in a poll's row.
OTHER_FIELDS = {
    Scope.TABLE: "table_revision",
    Scope.SUMMARY: "summary_revision",
    Scope.AGENT: "agent_version",
}


def region_rev(revisions: Mapping[str, int | None], watches: Iterable[Scope]) -> int | None:
    """The `rev` of a region watching `watches`, from the revisions by name (`room_revision`,
    ..., `table_revision`, `summary_revision`, `agent_version`); None when one is missing
    (the agent left the table): the region must render."""
    total = 0
    for scope in watches:
        value = revisions.get(WORKSHOP_FIELDS.get(scope) or OTHER_FIELDS[scope])
        if value is None:
            return None
        total += value
    return total


def workshop_rev(workshop, watches: Iterable[Scope], *, table=None, agent=None) -> int | None:
    """The `rev` of a region watching `watches` from a loaded workshop (table, agent)."""
    revisions = {field: getattr(workshop, field) for field in WORKSHOP_FIELDS.values()}
    if table is not None:
        revisions.update(table_revision=table.revision, summary_revision=table.summary_revision)
    if agent is not None:
        revisions["agent_version"] = agent.version
    return region_rev(revisions, watches)
