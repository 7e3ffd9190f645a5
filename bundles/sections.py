"""The sections of a bundle and the checks of every value in them.

Each section lists its keys with the kind of value they hold; `parse` checks a bundle's
sections against that (no missing or unknown key, every value of its kind, every ref unique
and pointing at a record that is there) and returns the values as Python (Decimal, date, ...).
The models' own rules are checked when the records are created (bundles.builder).

Version 1 also named accounts by username (facilitators, finance reviewers, signers, ...);
`parse` still reads those keys and drops them: a bundle never links an account of this
server. Its sign-offs had no signatures; they are read with empty ones (never verified).

Pure: no Django import.
"""

import base64
import binascii
import datetime
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from common.pdffile import pdf_problem
from common.text import name_problem, text_problem

from .format import BundleError

# Integers a database column holds on every backend.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
DECIMAL_TEXT = re.compile(r"-?[0-9]{1,30}(\.[0-9]{1,12})?")


# Kinds of value: text, int, bool, decimal (written as text), date, datetime, time, uuid, username,
# usernames (a list), ref:<section>, key (a catalogue key), model ({"provider", "name"}),
# object (checked where it is used), pdf (base64 of a PDF, checked by common.pdffile).


@dataclass(frozen=True)
class Section:
    name: str
    # {bundle key: (kind, may be null)}; "ref" (the record's own) comes first when present.
    fields: dict[str, tuple[str, bool]] = field(default_factory=dict)
    single: bool = False  # one object (or null) instead of a list


def _section(name: str, spec: str, *, single: bool = False) -> Section:
    """A section from "key:kind key:kind? ..." (a trailing ? allows null)."""
    fields = {}
    for item in spec.split():
        key, kind = item.split(":", 1)
        fields[key] = (kind.rstrip("?"), kind.endswith("?"))
    return Section(name=name, fields=fields, single=single)


SECTIONS = [
    _section(
        "workshop",
        "uid:uuid client_organisation:text title:text date:date pricing_date:date venue:text "
        "currency:text "
        "usd_exchange_rate:decimal status:text projector_view:text "
        "current_item:ref:agenda_items? timer_running_since:datetime? created_at:datetime "
        "updated_at:datetime why_now:text narrative_url:text number_format:text "
        "usd_rate_date:date? usd_rate_source:text start_time:time time_zone:text",
        single=True,
    ),
    # The Pillar 5 narrative PDF, if one was uploaded (base64 of its bytes).
    _section("narrative", "filename:text content:pdf uploaded_at:datetime", single=True),
    _section("tables", "ref:text name:text locked:bool position:int"),
    _section(
        "participants",
        "ref:text table:ref:tables display_name:text joined_at:datetime "
        "last_seen_at:datetime? removed:bool",
    ),
    _section(
        "agenda_items",
        "ref:text block:int position:int title:text planned_minutes:int "
        "facilitator_notes:text adjustment_seconds:int elapsed_seconds:int "
        "actual_started_at:datetime? actual_ended_at:datetime?",
    ),
    _section(
        "prework_items",
        "ref:text key:text title:text description:text status:text note:text position:int",
    ),
    _section(
        "agents",
        "ref:text table:ref:tables? name:text description:text business_process:text "
        "priority_rank:int? owner_name:text owner_email:text economic_class:text "
        "value_driver:text value_driver_other:text thesis_subject:text thesis_mechanism:text "
        "workload_model:model? input_tokens_per_call:int? output_tokens_per_call:int? "
        "model_calls_per_task:int? tasks_per_month:int? workload_price_date:date? "
        "workload_input_usd_per_mtok:decimal? workload_output_usd_per_mtok:decimal? "
        "workload_cached_input_usd_per_mtok:decimal? created_at:datetime updated_at:datetime",
    ),
    _section(
        "kpis",
        "ref:text agent:ref:agents definition:key? name:text category:text unit:text "
        "direction:text data_source_system:text data_source_owner:text "
        "measurement_frequency:text feasibility:text baseline_value:decimal? "
        "baseline_as_of:date? baseline_source:text no_baseline:bool instrument_by:date? "
        "good_enough:text transformational:text created_at:datetime updated_at:datetime",
    ),
    _section(
        "benchmarks",
        "ref:text kpi:ref:kpis kind:text description:text improvement_percent:decimal? "
        "absolute_change:decimal? source:text discount_percent:decimal created_at:datetime",
    ),
    _section("no_evidence", "kpi:ref:kpis reason:text updated_at:datetime"),
    _section(
        "constraint_analyses",
        "kpi:ref:kpis change_management:bool data_readiness:bool organisational_capacity:bool "
        "other:bool notes:text adoption_6m_percent:decimal adoption_12m_percent:decimal "
        "updated_at:datetime",
    ),
    _section(
        "value_targets",
        "kpi:ref:kpis floor_6m:decimal target_6m:decimal stretch_6m:decimal floor_12m:decimal "
        "target_12m:decimal stretch_12m:decimal assumptions:text updated_at:datetime",
    ),
    _section(
        "agent_economics",
        "agent:ref:agents value_kpi:ref:kpis? value_per_unit:decimal value_basis:text "
        "period:text tasks_per_month:decimal? model_cost_monthly:decimal? "
        "other_monthly_cost:decimal build_cost:decimal updated_at:datetime",
    ),
    _section(
        "finance_invites",
        "ref:text name:text title:text created_at:datetime "
        "expires_at:datetime revoked_at:datetime? used_at:datetime?",
    ),
    _section(
        "change_requests",
        "ref:text agent:ref:agents reviewer_name:text reviewer_title:text "
        "invite:ref:finance_invites? comment:text created_at:datetime resolved_at:datetime?",
    ),
    _section(
        "signoffs",
        "ref:text agent:ref:agents signer_name:text signer_title:text "
        "invite:ref:finance_invites? signed_at:datetime status:text void_reason:text "
        "voided_at:datetime? signed_values:object signed_values_sha256:text "
        "signed_message:text signature:text public_key:text verification:text",
    ),
    _section(
        "actions",
        "ref:text owner:text action:text due_date:date status:text origin:text "
        "origin_key:text kpi:ref:kpis? created_at:datetime",
    ),
    _section("quiz", "created_at:datetime current_run:ref:question_runs?", single=True),
    _section(
        "question_runs",
        "ref:text question:key status:text opened_at:datetime closed_at:datetime?",
    ),
    _section(
        "answers",
        "run:ref:question_runs participant:ref:participants choice:int answered_at:datetime",
    ),
]
SECTION_NAMES = [section.name for section in SECTIONS]
# Text that names a person or a thing in a list follows the stricter rule for names
# (common.text), as it does in the forms; usernames and catalogue keys do too.
NAME_KEYS = {
    "workshop": {"client_organisation", "title"},
    "tables": {"name"},
    "participants": {"display_name"},
    "agents": {"name", "owner_name", "owner_email", "value_driver_other"},
    "kpis": {"name"},
    "actions": {"owner"},
    "finance_invites": {"name", "title"},
    "change_requests": {"reviewer_name", "reviewer_title"},
    "signoffs": {"signer_name", "signer_title"},
}
# Sections added after version 2 shipped: a bundle without them has none of their records.
OPTIONAL_SECTIONS = {"no_evidence", "narrative"}
# Keys added after version 2 shipped, with the value a record without them has.
ADDED_KEYS = {
    "workshop": {
        "why_now": "",
        "narrative_url": "",
        "number_format": "comma-point",
        "usd_rate_date": None,
        "usd_rate_source": "",
        "start_time": "09:00",
        "time_zone": "UTC",
    },
    "kpis": {"instrument_by": None, "good_enough": "", "transformational": ""},
    "benchmarks": {"absolute_change": None},
}
TOP_LEVEL_KEYS = {"format", "version", "exported_at", "checksum", "seal", *SECTION_NAMES}

# Version 1's keys that version 2 dropped (read, then ignored) or added (empty in version 1).
V1_ONLY = {
    "workshop": "facilitators:usernames finance_reviewers:usernames",
    "finance_invites": "created_by:username?",
    "change_requests": "reviewer_user:username?",
    "signoffs": "signer_user:username? voided_by:username?",
}
V2_ONLY = {
    "workshop": ("pricing_date",),
    "agents": (
        "workload_price_date",
        "workload_input_usd_per_mtok",
        "workload_output_usd_per_mtok",
        "workload_cached_input_usd_per_mtok",
    ),
    "signoffs": ("signed_message", "signature", "public_key", "verification"),
}


def _version_1(section: Section) -> Section:
    fields = {
        key: kind
        for key, kind in section.fields.items()
        if key not in V2_ONLY.get(section.name, ())
    }
    if extra := V1_ONLY.get(section.name):
        fields.update(_section(section.name, extra).fields)
    return Section(name=section.name, fields=fields, single=section.single)


SECTIONS_V1 = [_version_1(section) for section in SECTIONS]


def _kind_name(value) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number with a fraction"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def wrong_value(where: str, problem: str) -> BundleError:
    return BundleError(f"The bundle has a wrong value at {where}: {problem}")


def _text(value, where: str, *, name: bool = False) -> str:
    """Text that follows the text rule (common.text), or the rule for names."""
    if not isinstance(value, str):
        raise wrong_value(where, f"expected text, found {_kind_name(value)}.")
    if problem := (name_problem if name else text_problem)(value):
        raise wrong_value(where, f"the text {problem}.")
    return value


def _check_nested_text(value: dict, where: str) -> None:
    """Every key and text inside an object (e.g. signed values) follows the text rule."""
    stack = [(value, where)]
    while stack:
        item, path = stack.pop()
        children = item.items() if isinstance(item, dict) else enumerate(item)
        for key, child in children:
            inner = f"{path}.{key}" if isinstance(item, dict) else f"{path}[{key}]"
            if isinstance(key, str):
                _text(key, inner)
            if isinstance(child, str):
                _text(child, inner)
            elif isinstance(child, dict | list):
                stack.append((child, inner))


def _value(kind: str, value, where: str, *, name: bool = False):
    """`value` as Python (Decimal, date, ...) after checking it is of `kind`; text that is a
    name (`name`, or a key or username) follows the rule for names."""
    if kind in ("text", "key", "username", "object") or kind.startswith("ref:"):
        if kind == "object":
            if not isinstance(value, dict):
                raise wrong_value(where, f"expected an object, found {_kind_name(value)}.")
            _check_nested_text(value, where)
            return value
        text = _text(value, where, name=name or kind in ("key", "username"))
        if kind != "text" and not text:
            raise wrong_value(where, "it is empty.")
        return text
    if kind == "pdf":
        if not isinstance(value, str):
            raise wrong_value(where, f"expected a PDF as base64 text, found {_kind_name(value)}.")
        try:
            content = base64.b64decode(value.encode("ascii"), validate=True)
        except (UnicodeEncodeError, binascii.Error, ValueError):
            raise wrong_value(where, "expected a PDF as base64 text.") from None
        if problem := pdf_problem(content):
            raise wrong_value(where, problem)
        return content
    if kind == "int":
        if type(value) is not int:
            raise wrong_value(where, f"expected a whole number, found {_kind_name(value)}.")
        if not INT_MIN <= value <= INT_MAX:
            raise wrong_value(where, "the number is far too large.")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise wrong_value(where, f"expected true or false, found {_kind_name(value)}.")
        return value
    if kind == "decimal":
        # Written as text so that no amount ever passes through a float.
        if not isinstance(value, str) or not DECIMAL_TEXT.fullmatch(value):
            raise wrong_value(where, 'expected a number written as text, e.g. "1250.50".')
        try:
            return Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            raise wrong_value(where, "the number cannot be read.") from None
    if kind == "date":
        try:
            return datetime.date.fromisoformat(_text(value, where))
        except ValueError:
            raise wrong_value(where, "expected a date written as YYYY-MM-DD.") from None
    if kind == "datetime":
        try:
            moment_value = datetime.datetime.fromisoformat(_text(value, where))
        except ValueError:
            moment_value = None
        if moment_value is None or moment_value.tzinfo is None:
            raise wrong_value(where, "expected a moment in ISO 8601 form with its UTC offset.")
        return moment_value
    if kind == "time":
        try:
            return datetime.time.fromisoformat(_text(value, where))
        except ValueError:
            raise wrong_value(where, "expected a time of day written as HH:MM.") from None
    if kind == "uuid":
        try:
            return uuid.UUID(_text(value, where))
        except ValueError:
            raise wrong_value(where, "expected a workshop identity (a UUID).") from None
    if kind == "usernames":
        if not isinstance(value, list):
            raise wrong_value(where, f"expected a list of usernames, found {_kind_name(value)}.")
        names = [_value("username", item, f"{where}[{i}]") for i, item in enumerate(value)]
        if len(set(names)) != len(names):
            raise wrong_value(where, "a username appears twice.")
        return names
    if kind == "model":
        if not isinstance(value, dict) or set(value) != {"provider", "name"}:
            raise wrong_value(where, 'expected {"provider": ..., "name": ...}.')
        return {key: _value("key", value[key], f"{where}.{key}") for key in ("provider", "name")}
    raise AssertionError(f"unknown kind {kind}")  # pragma: no cover


def _record(section: Section, item, where: str) -> dict:
    if not isinstance(item, dict):
        raise wrong_value(where, f"expected an object, found {_kind_name(item)}.")
    added = ADDED_KEYS.get(section.name, {})
    item = {**{key: value for key, value in added.items() if key not in item}, **item}
    missing = [key for key in section.fields if key not in item]
    if missing:
        raise BundleError(f"The bundle is incomplete: {where} has no “{missing[0]}”.")
    unknown = sorted(set(item) - set(section.fields))
    if unknown:
        raise BundleError(
            f"The bundle has a field this server does not know at {where}: “{unknown[0]}”."
        )
    record = {}
    names = NAME_KEYS.get(section.name, set())
    for key, (kind, nullable) in section.fields.items():
        value = item[key]
        if value is None:
            if not nullable:
                raise wrong_value(f"{where}.{key}", "a value is required.")
            record[key] = None
        else:
            record[key] = _value(kind, value, f"{where}.{key}", name=key in names)
    return record


def parse(bundle: dict) -> dict[str, list[dict] | dict | None]:
    """Every section of the bundle with its values typed (Decimal, date, ...) and every ref
    checked: unique within its section and pointing at a record that is there. A version 1
    bundle comes back in version 2's shape (see V1_ONLY)."""
    missing = [
        name for name in SECTION_NAMES if name not in bundle and name not in OPTIONAL_SECTIONS
    ]
    if missing:
        raise BundleError(f"The bundle is incomplete: it has no “{missing[0]}”.")
    unknown = sorted(set(bundle) - TOP_LEVEL_KEYS)
    if unknown:
        raise BundleError(f"The bundle has a part this server does not know: “{unknown[0]}”.")
    version_1 = bundle.get("version") == 1
    parsed: dict = {}
    for section in SECTIONS_V1 if version_1 else SECTIONS:
        value = bundle.get(section.name, None if section.single else [])
        if section.single:
            if value is None and section.name != "workshop":
                parsed[section.name] = None
            else:
                parsed[section.name] = _record(section, value, section.name)
            continue
        if not isinstance(value, list):
            raise wrong_value(section.name, f"expected a list, found {_kind_name(value)}.")
        parsed[section.name] = [
            _record(section, item, f"{section.name}[{i}]") for i, item in enumerate(value)
        ]
    _check_refs(parsed)
    if version_1:
        _as_version_2(parsed)
    return parsed


def _as_version_2(parsed: dict) -> None:
    """Drop version 1's usernames and give its sign-offs empty signatures."""
    for name, spec in V1_ONLY.items():
        records = parsed[name] if isinstance(parsed[name], list) else [parsed[name]]
        for record in records:
            for item in spec.split():
                del record[item.split(":", 1)[0]]
    for record in parsed["signoffs"]:
        record.update(dict.fromkeys(V2_ONLY["signoffs"], ""))
        record["verification"] = "unverified"


def _check_refs(parsed: dict) -> None:
    known: dict[str, set[str]] = {}
    for section in SECTIONS:
        if "ref" not in section.fields:
            continue
        refs = [record["ref"] for record in parsed[section.name]]
        seen = set()
        for i, ref in enumerate(refs):
            if not ref:
                raise wrong_value(f"{section.name}[{i}].ref", "it is empty.")
            if ref in seen:
                raise wrong_value(f"{section.name}[{i}].ref", f"“{ref}” is used twice.")
            seen.add(ref)
        known[section.name] = seen
    for section in SECTIONS:
        records = parsed[section.name]
        if section.single:
            records = [records] if records is not None else []
        for i, record in enumerate(records):
            where = section.name if section.single else f"{section.name}[{i}]"
            for key, (kind, _) in section.fields.items():
                if kind.startswith("ref:") and record[key] is not None:
                    target = kind.removeprefix("ref:")
                    if record[key] not in known[target]:
                        raise wrong_value(
                            f"{where}.{key}", f"“{record[key]}” is not one of the {target}."
                        )
