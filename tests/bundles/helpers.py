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


def minimal_content(**overrides) -> dict:
    """The sections of an empty workshop."""
    content = {name: [] for name in sections.SECTION_NAMES}
    content["workshop"] = {
        "uid": "0f6b0221-ecc3-4aac-9399-bfef1192771e",
        "client_organisation": "Acme Freight",
        "title": "AI FinOps Workshop",
        "date": "2026-12-10",
        "venue": "",
        "currency": "EUR",
        "usd_exchange_rate": "0.92",
        "status": "draft",
        "projector_view": "agenda",
        "current_item": None,
        "timer_running_since": None,
        "created_at": "2026-11-01T09:00:00+00:00",
        "updated_at": "2026-11-01T09:00:00+00:00",
        "facilitators": ["ana"],
        "finance_reviewers": [],
    }
    content["quiz"] = None
    content.update(overrides)
    return content


def minimal_bundle(**overrides) -> dict:
    return json.loads(bundle_format.dumps(minimal_content(**overrides), exported_at=NOW))


def refused(data: bytes) -> str:
    with pytest.raises(BundleError) as caught:
        sections.parse(bundle_format.loads(data))
    return caught.value.message
