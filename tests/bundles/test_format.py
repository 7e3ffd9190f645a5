import datetime
import json
from decimal import Decimal

import pytest

from bundles import format as bundle_format
from bundles import sections

from .helpers import NOW, minimal_bundle, minimal_content, refused, seal, unsealed

# --- Values -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("120.0000"), "120"),
        (Decimal("1.2E+2"), "120"),
        (Decimal("0.50"), "0.5"),
        (Decimal("-0.000"), "0"),
        (Decimal("12345678901234.5678"), "12345678901234.5678"),
        (None, None),
    ],
)
def test_number_plain_text(value, text):
    assert bundle_format.number(value) == text


def test_moment_utc_with_microseconds():
    plus_two = datetime.timezone(datetime.timedelta(hours=2))
    value = datetime.datetime(2026, 12, 10, 11, 30, 0, 123456, tzinfo=plus_two)
    assert bundle_format.moment(value) == "2026-12-10T09:30:00.123456+00:00"


# --- The file ---------------------------------------------------------------------------------


def test_dumps_puts_format_version_time_checksum_and_seal_first():
    bundle = json.loads(bundle_format.dumps(minimal_content(), exported_at=NOW))
    assert list(bundle)[:6] == [
        "format",
        "version",
        "exported_at",
        "checksum",
        "seal",
        "workshop",
    ]
    assert bundle["format"] == "ai-finops-workshop-bundle"
    assert bundle["version"] == 2
    assert bundle["exported_at"] == "2026-12-10T17:00:00+00:00"
    assert bundle["seal"] is None


def test_dumps_seals_the_checksum():
    seen = []

    def seal(message):
        seen.append(message)
        return {"public_key": "key", "signature": "signature"}

    bundle = json.loads(bundle_format.dumps(minimal_content(), exported_at=NOW, seal=seal))
    assert seen == [f"ai-finops-workshop-bundle 2 {bundle['checksum']}".encode()]
    assert bundle["seal"] == {"public_key": "key", "signature": "signature"}


def test_checksum_ignores_the_seal():
    bundle = minimal_bundle()
    sealed = {**bundle, "seal": {"public_key": "key", "signature": "signature"}}
    assert bundle_format.checksum(sealed) == bundle["checksum"]


def test_loads_refuses_a_seal_of_another_shape():
    bundle = minimal_bundle()
    bundle["seal"] = {"public_key": 1, "signature": "signature"}
    assert refused(unsealed(bundle)) == (
        'The bundle has a wrong value at seal: expected {"public_key": ..., "signature": ...} '
        "as text, or null."
    )


def test_checksum_ignores_export_time():
    first = bundle_format.dumps(minimal_content(), exported_at=NOW)
    later = bundle_format.dumps(minimal_content(), exported_at=NOW + datetime.timedelta(days=3))
    assert first != later
    assert json.loads(first)["checksum"] == json.loads(later)["checksum"]


def test_checksum_is_sha256_of_canonical_content():
    bundle = minimal_bundle()
    content = {k: v for k, v in bundle.items() if k not in ("exported_at", "checksum", "seal")}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    import hashlib

    expected = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert bundle["checksum"] == f"sha256:{expected}"


def test_loads_accepts_its_own_file():
    data = bundle_format.dumps(minimal_content(), exported_at=NOW)
    parsed = sections.parse(bundle_format.loads(data))
    assert parsed["workshop"]["usd_exchange_rate"] == Decimal("0.92")
    assert parsed["workshop"]["date"] == datetime.date(2026, 12, 10)
    assert parsed["quiz"] is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"  \n", "The file is empty."),
        (b"\xff\xfe\x00{", "This file is not a workshop bundle: it is not text (UTF-8)."),
        (
            b"%PDF-1.7\n%\xc3\xa4",
            "This file is not a workshop bundle: it is not valid JSON (line 1, column 1).",
        ),
        (
            b'{"format": "ai-finops-workshop-bundle", "version": 1, "tables": [',
            "The bundle is incomplete: the file ends too early. It was probably cut off while "
            "it was copied; export it again.",
        ),
        (b"[1, 2, 3]", "This file is not a workshop bundle: it does not start with an object."),
        (
            b'{"format": "spreadsheet", "version": 1}',
            "This file is not a workshop bundle: its format is not “ai-finops-workshop-bundle”.",
        ),
        (
            b'{"format": "ai-finops-workshop-bundle"}',
            "The bundle does not say which version of the format it uses.",
        ),
        (
            b'{"format": "ai-finops-workshop-bundle", "version": "1"}',
            "The bundle does not say which version of the format it uses.",
        ),
        (
            b'{"format": "ai-finops-workshop-bundle", "version": 3}',
            "This bundle was made by a newer version of the app (bundle version 3); this "
            "server reads version 2. Update this server, then import again.",
        ),
        (
            b'{"format": "ai-finops-workshop-bundle", "version": 0}',
            "This server reads bundle version 2, not version 0.",
        ),
        (
            b"[" * 100_000 + b"]" * 100_000,
            "This file is not a workshop bundle: its contents are nested far too deeply.",
        ),
        (
            b'{"n": 1' + b"0" * 5000 + b"}",
            "This file is not a workshop bundle: it holds a value that cannot be read.",
        ),
    ],
)
def test_loads_refuses_what_is_not_a_bundle(data, message):
    assert refused(data) == message


def test_loads_refuses_a_file_cut_inside_a_character():
    data = bundle_format.dumps(minimal_content(), exported_at=NOW).replace(b"Acme", "Café".encode())
    cut = data.index("é".encode()) + 1
    assert refused(data[:cut]) == bundle_format.TRUNCATED


def test_loads_refuses_a_file_over_the_limit():
    data = b" " * (bundle_format.MAX_BYTES + 1)
    assert refused(data) == "The file is larger than 20 MB; a workshop bundle is far smaller."


def test_loads_refuses_moderately_deep_nesting_inside_a_bundle():
    nested: list = []
    for _ in range(40):
        nested = [nested]
    bundle = minimal_bundle()
    bundle["workshop"]["venue"] = nested
    assert refused(seal(bundle)) == (
        "This file is not a workshop bundle: its contents are nested far too deeply."
    )


def test_loads_refuses_an_edited_bundle():
    bundle = minimal_bundle()
    bundle["workshop"]["client_organisation"] = "Someone Else"
    data = json.dumps(bundle).encode()
    assert refused(data) == (
        "The bundle was changed after it was exported: its checksum does not match its "
        "contents. Export it again from the original server."
    )


def test_loads_refuses_a_bundle_without_checksum():
    bundle = minimal_bundle()
    del bundle["checksum"]
    assert refused(json.dumps(bundle).encode()).startswith("The bundle was changed")
