"""Import a workshop bundle: all of it in one transaction, or nothing.

Every record is checked twice: its shape and types by bundles.format, then its values by the
model's own `full_clean` (lengths, choices, ranges, constraints). Catalogue rows must already
be on this server. No account of this server is ever linked from a bundle: signers and
reviewers stay names, and the importing facilitator becomes the workshop's only facilitator.
Sign-offs count only when their signatures and the bundle's seal verify against keys this
server trusts; the others are kept as "imported, not verified".
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone

from agents.models import Agent
from common import signing
from kpis.models import AgentKpi
from targets import selectors as target_selectors
from targets.models import FinanceSignOff
from workshops import zones
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
        moment = timezone.localtime(last_changed, zones.zone(existing))
        when = formats.date_format(moment, "j M Y, H:i T")
        super().__init__(
            f"This workshop already exists here (last changed {when}): replace it, import it "
            "as a copy, or cancel."
        )


@dataclass
class Bundle:
    """A bundle that passed the file and shape checks (values are typed)."""

    sections: dict
    exported_at: datetime.datetime | None
    # The seal (the exporting server's signature of the checksum) verifies against a key
    # this server trusts; without it no sign-off of the bundle counts here.
    sealed: bool = False

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
    return Bundle(sections=parsed, exported_at=exported_at, sealed=_sealed(raw))


def _sealed(raw: dict) -> bool:
    seal = raw.get("seal")
    if raw["version"] < 2 or seal is None:
        return False
    return signing.verifies_by_trusted_key(
        bundle_format.seal_message(raw["checksum"], raw["version"]),
        signature=seal["signature"],
        public_key=seal["public_key"],
    )


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
    # Sign-offs that do not count or no longer match on this server, in sentences.
    warnings: list[str] = field(default_factory=list)
    # The accounts here that facilitate the workshop (the importer, or nobody).
    facilitators: list[str] = field(default_factory=list)


@transaction.atomic
def workshop_bundle_import(
    *, bundle: Bundle, importer=None, on_conflict: str = REFUSE
) -> ImportResult:
    """Create the bundle's workshop with everything in it; `importer` (when given) becomes its
    only facilitator (no account is linked from the bundle). When the workshop is here
    already: REFUSE raises BundleConflict, REPLACE deletes it first (only for one of its
    facilitators), COPY imports it with a new identity and " (copy)" after its title. All or
    nothing: BundleError changes nothing. Bumps the new workshop's revision."""
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
    builder = Builder(bundle.sections, importer=importer, sealed=bundle.sealed)
    workshop = builder.build(uid=uid, title=title)
    workshop_touch(workshop_id=workshop.pk, scopes=EVERYTHING)
    workshop.refresh_from_db()
    return ImportResult(
        workshop=workshop,
        warnings=_signoff_warnings(workshop),
        facilitators=sorted(workshop.facilitators.values_list("username", flat=True)),
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
    warnings: list[str]
    facilitators: list[str]


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
        warnings=result.warnings,
        facilitators=result.facilitators,
    )


def _signoff_warnings(workshop: Workshop) -> list[str]:
    finance = target_selectors.workshop_finance(workshop=workshop)
    warnings = []
    for entry in finance.agents:
        if entry.unverified_signoff is not None and entry.signoff is None:
            warnings.append(
                f"The sign-off of “{entry.agent.name}” ({entry.unverified_signoff.signer_name}) "
                "cannot be verified: its signature, or the bundle's seal, does not verify "
                "against a key this server trusts. It is kept as “imported, not verified” and "
                "does not count; finance can sign the agent off here."
            )
        if entry.changed_since_signoff:
            warnings.append(
                f"The sign-off of “{entry.agent.name}” does not match the values on this "
                "server (the model catalogue's prices may differ), so it shows as changed "
                "since sign-off."
            )
    return warnings
