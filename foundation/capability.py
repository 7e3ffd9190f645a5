"""Capability classes for the cost evolution story: a named list of models judged to be of
the same capability ("GPT-4 class"), kept as data in data/capability-classes.json. No Django."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CLASSES_JSON = Path(__file__).resolve().parent / "data" / "capability-classes.json"


@dataclass(frozen=True)
class CapabilityClass:
    key: str
    label: str
    basis: str  # why these models, in a sentence a facilitator can read out
    models: frozenset[str]  # "Provider model-id", as the catalogue names them


@cache
def capability_classes(path: Path = CLASSES_JSON) -> dict[str, CapabilityClass]:
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return {
        item["key"]: CapabilityClass(
            key=item["key"],
            label=item["label"],
            basis=item["basis"],
            models=frozenset(item["models"]),
        )
        for item in data["classes"]
    }
