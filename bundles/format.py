"""The workshop bundle file: one workshop as versioned JSON, with a checksum.

    {"format": "ai-finops-workshop-bundle", "version": 2, "exported_at": "...",
     "checksum": "sha256:...", "seal": {"public_key": "...", "signature": "..."},
     "workshop": {...}, "tables": [...], "agents": [...], ...}

Records point at each other with "ref" strings that are unique within the bundle ("agent-3"),
never with database ids; catalogue rows by their natural key (a KPI definition by key, an LLM
model by provider and name, a quiz question by key). People travel as names (text), never as
accounts: version 1 named accounts by username, which the importer now ignores.

The checksum is the SHA-256 of the canonical content: every top-level key except
`exported_at`, `checksum` and `seal`, as JSON with sorted keys and no insignificant
whitespace. The same workshop exported twice has the same checksum; only `exported_at`
differs. Anyone can recompute a checksum; the seal cannot be forged: it is the exporting
server's Ed25519 signature of the checksum (see `seal_message`), which says the content,
sign-off states included, is as that server exported it.

Pure: no Django import, so the codec and the checks can be read and tested on their own.
"""

import datetime
import hashlib
import json
import re
from decimal import Decimal

FORMAT_NAME = "ai-finops-workshop-bundle"
VERSION = 2
# Version 1 (before signatures) is still read; its sign-offs are imported as not verified.
READABLE_VERSIONS = (1, 2)
MAX_BYTES = 20 * 1024 * 1024
MAX_MEGABYTES = MAX_BYTES // (1024 * 1024)
# A bundle nests about eight levels (a sign-off's signed values are the deepest).
MAX_DEPTH = 16
CONTENT_TYPE = "application/json"
FILE_SUFFIX = ".finops.json"
VOLATILE_KEYS = ("exported_at", "checksum", "seal")
TRUNCATED = (
    "The bundle is incomplete: the file ends too early. It was probably cut off while it was "
    "copied; export it again."
)


class BundleError(Exception):
    """The file cannot be imported; the message says why in words a facilitator can act on."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Values -----------------------------------------------------------------------------------


def number(value: Decimal | None) -> str | None:
    """A Decimal as plain text without trailing zeros ("120", "0.5"), as targets.signing does."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0", "-0.0") else text


def moment(value: datetime.datetime | None) -> str | None:
    """A moment in UTC, ISO 8601 with its offset and any microseconds."""
    if value is None:
        return None
    return value.astimezone(datetime.UTC).isoformat()


def day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


# --- The file ---------------------------------------------------------------------------------


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256(value) -> str:
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def content_of(bundle: dict) -> dict:
    """What the checksum covers: everything but the export time and the checksum itself."""
    return {key: value for key, value in bundle.items() if key not in VOLATILE_KEYS}


def checksum(bundle: dict) -> str:
    return f"sha256:{sha256(content_of(bundle))}"


def seal_message(checksum_text: str, version: int = VERSION) -> bytes:
    """What the seal's signature covers: the bundle's checksum, under the format's name."""
    return f"{FORMAT_NAME} {version} {checksum_text}".encode()


def dumps(content: dict, *, exported_at: datetime.datetime, seal=None) -> bytes:
    """The bundle file for `content` (the sections, without format, version or checksum):
    format, version, time, checksum and seal first, then the sections in the order given.
    `seal(message) -> {"public_key": ..., "signature": ...}` signs the checksum; without it
    the bundle has no seal (null)."""
    digest = checksum({"format": FORMAT_NAME, "version": VERSION, **content})
    bundle = {
        "format": FORMAT_NAME,
        "version": VERSION,
        "exported_at": moment(exported_at),
        "checksum": digest,
        "seal": seal(seal_message(digest)) if seal is not None else None,
        **content,
    }
    text = json.dumps(bundle, indent=1, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def _depth(value) -> int:
    """How deeply lists and objects nest in `value` (without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def _ends_early(text: str, error: json.JSONDecodeError) -> bool:
    """Whether the JSON was cut off (as opposed to wrong somewhere in the middle)."""
    rest = text[error.pos :].rstrip()
    if not rest or error.msg.startswith("Unterminated string"):
        return True
    # A cut-off literal or number: "tr", "nul", "-", "12.".
    return error.msg == "Expecting value" and (
        any(word.startswith(rest) for word in ("true", "false", "null"))
        or bool(re.fullmatch(r"-?[0-9]*\.?[0-9]*([eE][+-]?[0-9]*)?", rest))
    )


def _not_bundle(reason: str) -> BundleError:
    return BundleError(f"This file is not a workshop bundle: {reason}")


def loads(data: bytes) -> dict:
    """The bundle in `data`, after checking its size, JSON, nesting, format name, version and
    checksum (BundleError otherwise). Its sections are checked by bundles.sections."""
    if len(data) > MAX_BYTES:
        raise BundleError(
            f"The file is larger than {MAX_MEGABYTES} MB; a workshop bundle is far smaller."
        )
    if not data.strip():
        raise BundleError("The file is empty.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data":  # cut inside a character
            raise BundleError(TRUNCATED) from None
        raise _not_bundle("it is not text (UTF-8).") from None
    try:
        bundle = json.loads(text)
    except RecursionError:
        raise _not_bundle("its contents are nested far too deeply.") from None
    except json.JSONDecodeError as error:
        if _ends_early(text, error):
            raise BundleError(TRUNCATED) from None
        raise _not_bundle(
            f"it is not valid JSON (line {error.lineno}, column {error.colno})."
        ) from None
    except ValueError:  # e.g. an integer with thousands of digits
        raise _not_bundle("it holds a value that cannot be read.") from None
    if _depth(bundle) > MAX_DEPTH:
        raise _not_bundle("its contents are nested far too deeply.")
    if not isinstance(bundle, dict):
        raise _not_bundle("it does not start with an object.")
    if bundle.get("format") != FORMAT_NAME:
        raise _not_bundle(f"its format is not “{FORMAT_NAME}”.")
    version = bundle.get("version")
    if type(version) is not int:
        raise BundleError("The bundle does not say which version of the format it uses.")
    if version > VERSION:
        raise BundleError(
            f"This bundle was made by a newer version of the app (bundle version {version}); "
            f"this server reads version {VERSION}. Update this server, then import again."
        )
    if version not in READABLE_VERSIONS:
        raise BundleError(f"This server reads bundle version {VERSION}, not version {version}.")
    if bundle.get("checksum") != checksum(bundle):
        raise BundleError(
            "The bundle was changed after it was exported: its checksum does not match its "
            "contents. Export it again from the original server."
        )
    seal = bundle.get("seal")
    if version >= 2 and seal is not None and not _is_seal(seal):
        raise BundleError(
            'The bundle has a wrong value at seal: expected {"public_key": ..., "signature": '
            "...} as text, or null."
        )
    return bundle


def _is_seal(value) -> bool:
    return (
        isinstance(value, dict)
        and set(value) == {"public_key", "signature"}
        and all(isinstance(item, str) and len(item) <= 200 for item in value.values())
    )
