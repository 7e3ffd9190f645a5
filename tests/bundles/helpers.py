"""Reading, editing and re-sealing bundles in tests, and counting every row an import could
touch."""

import datetime
import json

import pytest
from django.apps import apps

from bundles import format as bundle_format
from bundles import sections
from bundles.format import BundleError

NOW = datetime.datetime(2026, 12, 10, 17, 0, tzinfo=datetime.UTC)
APPS = ["auth", "workshops", "foundation", "agents", "kpis", "targets"]


def parse(data: bytes) -> dict:
    return json.loads(data)


def seal(bundle: dict) -> bytes:
    """The bundle as a file, with its checksum recomputed (as someone crafting one would)."""
    bundle = dict(bundle)
    bundle["checksum"] = bundle_format.checksum(bundle)
    return json.dumps(bundle, indent=1, ensure_ascii=False).encode("utf-8")


def unsealed(bundle: dict) -> bytes:
    """The bundle as a file, keeping the checksum it had."""
    return json.dumps(bundle, indent=1, ensure_ascii=False).encode("utf-8")


def row_counts() -> dict[str, int]:
    """Rows of every model of the apps a bundle touches."""
    return {
        model._meta.label: model.objects.count()
        for label in APPS
        for model in apps.get_app_config(label).get_models()
    }


def as_version_1(bundle: dict, *, facilitators=(), finance_reviewers=(), signer_user=None) -> dict:
    """A version 2 bundle as version 1 wrote it: usernames of accounts, no signatures, no seal
    (checksum not recomputed: `seal` it)."""
    bundle = json.loads(json.dumps(bundle))
    bundle["version"] = 1
    del bundle["seal"]
    bundle["workshop"]["facilitators"] = list(facilitators)
    bundle["workshop"]["finance_reviewers"] = list(finance_reviewers)
    for invite in bundle["finance_invites"]:
        invite["created_by"] = None
    for request in bundle["change_requests"]:
        request["reviewer_user"] = None
    for signoff in bundle["signoffs"]:
        signoff["signer_user"] = signer_user
        signoff["voided_by"] = None
    for name, keys in sections.V2_ONLY.items():
        records = bundle[name] if isinstance(bundle[name], list) else [bundle[name]]
        for record in records:
            for key in keys:
                del record[key]
    return bundle


def minimal_content(**overrides) -> dict:
    """The sections of an empty workshop."""
    content = {name: [] for name in sections.SECTION_NAMES}
    content["workshop"] = {
        "uid": "0f6b0221-ecc3-4aac-9399-bfef1192771e",
        "client_organisation": "Acme Freight",
        "title": "AI FinOps Workshop",
        "date": "2026-12-10",
        "pricing_date": "2026-12-10",
        "venue": "",
        "currency": "EUR",
        "usd_exchange_rate": "0.92",
        "status": "draft",
        "projector_view": "agenda",
        "current_item": None,
        "timer_running_since": None,
        "created_at": "2026-11-01T09:00:00+00:00",
        "updated_at": "2026-11-01T09:00:00+00:00",
    }
    content["quiz"] = None
    content["narrative"] = None
    content.update(overrides)
    return content


def minimal_bundle(**overrides) -> dict:
    return json.loads(bundle_format.dumps(minimal_content(**overrides), exported_at=NOW))


def refused(data: bytes) -> str:
    with pytest.raises(BundleError) as caught:
        sections.parse(bundle_format.loads(data))
    return caught.value.message
