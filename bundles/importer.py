"""Import a workshop bundle: all of it in one transaction, or nothing.

Every record is checked twice: its shape and types by bundles.format, then its values by the
model's own `full_clean` (lengths, choices, ranges, constraints). Catalogue rows must already
be on this server. Accounts are matched by username; one that is not here leaves the name on
the record (signer, reviewer) without a link.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone

from agents.models import Agent
from kpis.models import AgentKpi
from targets import selectors as target_selectors
from targets.models import FinanceSignOff
from workshops.changes import EVERYTHING
from workshops.models import Workshop
from workshops.permissions import facilitator_workshops
from workshops.services import workshop_touch

from . import format as bundle_format
from . import sections
from .builder import Builder
from .format import BundleError

REFUSE, REPLACE, COPY = "refuse", "replace", "copy"
ON_CONFLICT_CHOICES = (REFUSE, REPLACE, COPY)
COPY_SUFFIX = " (copy)"


class BundleConflict(BundleError):
    """The bundle's workshop is on this server already."""

    def __init__(self, existing: Workshop, last_changed: datetime.datetime):
        self.existing = existing
        self.last_changed = last_changed
        when = formats.date_format(timezone.localtime(last_changed), "j M Y, H:i")
        super().__init__(
            f"This workshop already exists here (last changed {when}): replace it, import it "
            "as a copy, or cancel."
        )


@dataclass
class Bundle:
    """A bundle that passed the file and shape checks (values are typed)."""

    sections: dict
    exported_at: datetime.datetime | None

    @property
    def workshop(self) -> dict:
        return self.sections["workshop"]

    @property
    def counts(self) -> dict[str, int]:
        signoffs = self.sections["signoffs"]
        valid = sum(1 for signoff in signoffs if signoff["status"] == FinanceSignOff.Status.VALID)
        return {
            "tables": len(self.sections["tables"]),
            "participants": len(self.sections["participants"]),
            "agents": len(self.sections["agents"]),
            "kpis": len(self.sections["kpis"]),
            "value_targets": len(self.sections["value_targets"]),
            "signoffs": len(signoffs),
            "signoffs_valid": valid,
            "signoffs_void": len(signoffs) - valid,
            "actions": len(self.sections["actions"]),
            "question_runs": len(self.sections["question_runs"]),
            "answers": len(self.sections["answers"]),
        }


def bundle_read(data: bytes) -> Bundle:
    """The bundle in `data` after every check that needs no database (BundleError)."""
    raw = bundle_format.loads(data)
    parsed = sections.parse(raw)
    try:
        exported_at = datetime.datetime.fromisoformat(raw.get("exported_at") or "")
    except (TypeError, ValueError):
        exported_at = None
    return Bundle(sections=parsed, exported_at=exported_at)


def workshop_last_changed(workshop: Workshop) -> datetime.datetime:
    """The latest change to the workshop's details, agents, KPIs or sign-offs."""
    moments = [
        workshop.updated_at,
        Agent.objects.filter(workshop=workshop).aggregate(at=Max("updated_at"))["at"],
        AgentKpi.objects.filter(agent__workshop=workshop).aggregate(at=Max("updated_at"))["at"],
        FinanceSignOff.objects.filter(agent__workshop=workshop).aggregate(at=Max("signed_at"))[
            "at"
        ],
    ]
    return max(moment for moment in moments if moment is not None)


def can_replace(existing: Workshop, importer) -> bool:
    """Only a facilitator of the workshop here may replace it (the command runs as the
    server's operator, `importer` None)."""
    return importer is None or facilitator_workshops(importer).filter(pk=existing.pk).exists()


@dataclass
class ImportResult:
    workshop: Workshop
    replaced: bool = False
    copied: bool = False
    # Usernames the bundle names that have no account here.
    unknown_users: list[str] = field(default_factory=list)
    # Sign-offs that no longer match on this server, in sentences.
    warnings: list[str] = field(default_factory=list)
    # The accounts here that facilitate the workshop / review it for finance.
    facilitators: list[str] = field(default_factory=list)
    finance_reviewers: list[str] = field(default_factory=list)


@transaction.atomic
def workshop_bundle_import(
    *, bundle: Bundle, importer=None, on_conflict: str = REFUSE
) -> ImportResult:
    """Create the bundle's workshop with everything in it; `importer` (when given) becomes one
    of its facilitators. When the workshop is here already: REFUSE raises BundleConflict,
    REPLACE deletes it first (only for one of its facilitators), COPY imports it with a new
    identity and " (copy)" after its title. All or nothing: BundleError changes nothing.
    Bumps the new workshop's revision."""
    if on_conflict not in ON_CONFLICT_CHOICES:
        raise ValueError(f"on_conflict must be one of {', '.join(ON_CONFLICT_CHOICES)}")
    values = bundle.workshop
    uid, title = values["uid"], values["title"]
    result_flags = {}
    existing = Workshop.objects.select_for_update().filter(uid=uid).first()
    if existing is not None:
        if on_conflict == REFUSE:
            raise BundleConflict(existing, workshop_last_changed(existing))
        if on_conflict == REPLACE:
            if not can_replace(existing, importer):
                raise BundleError(
                    "This workshop already exists here and you are not one of its "
                    "facilitators, so you cannot replace it. Import it as a copy instead."
                )
            existing.delete()
            result_flags["replaced"] = True
        else:
            uid = uuid.uuid4()
            limit = Workshop._meta.get_field("title").max_length - len(COPY_SUFFIX)
            title = title[:limit] + COPY_SUFFIX
            result_flags["copied"] = True
    builder = Builder(bundle.sections, importer=importer)
    workshop = builder.build(uid=uid, title=title)
    workshop_touch(workshop_id=workshop.pk, scopes=EVERYTHING)
    workshop.refresh_from_db()
    return ImportResult(
        workshop=workshop,
        unknown_users=sorted(builder.unknown_users),
        warnings=_signoff_warnings(workshop),
        facilitators=sorted(workshop.facilitators.values_list("username", flat=True)),
        finance_reviewers=sorted(workshop.finance_reviewers.values_list("username", flat=True)),
        **result_flags,
    )


class _DryRun(Exception):
    def __init__(self, result: ImportResult):
        self.result = result


@dataclass
class Preview:
    bundle: Bundle
    existing: Workshop | None
    last_changed: datetime.datetime | None
    can_replace: bool
    unknown_users: list[str]
    warnings: list[str]
    facilitators: list[str]
    finance_reviewers: list[str]


def bundle_preview(*, bundle: Bundle, importer=None) -> Preview:
    """What importing would do, found by importing and rolling back (BundleError when it
    cannot be imported). Changes nothing."""
    existing = Workshop.objects.filter(uid=bundle.workshop["uid"]).first()
    try:
        with transaction.atomic():
            result = workshop_bundle_import(
                bundle=bundle, importer=importer, on_conflict=COPY if existing else REFUSE
            )
            raise _DryRun(result)
    except _DryRun as dry_run:
        result = dry_run.result
    return Preview(
        bundle=bundle,
        existing=existing,
        last_changed=workshop_last_changed(existing) if existing else None,
        can_replace=existing is not None and can_replace(existing, importer),
        unknown_users=result.unknown_users,
        warnings=result.warnings,
        facilitators=result.facilitators,
        finance_reviewers=result.finance_reviewers,
    )


def _signoff_warnings(workshop: Workshop) -> list[str]:
    finance = target_selectors.workshop_finance(workshop=workshop)
    return [
        f"The sign-off of “{entry.agent.name}” does not match the values on this server "
        "(the model catalogue's prices may differ), so it shows as changed since sign-off."
        for entry in finance.agents
        if entry.changed_since_signoff
    ]
