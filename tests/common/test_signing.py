import base64
import stat

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured

from common import signing

SEED = bytes(range(32))
KEY = Ed25519PrivateKey.from_private_bytes(SEED)
PUBLIC = signing.public_key_text(KEY.public_key())


@pytest.fixture
def fresh_data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.SIGNING_KEY = ""
    settings.TRUSTED_SIGNING_KEYS = []
    return tmp_path


def test_server_key_generated_on_first_use_into_the_data_folder(fresh_data_dir):
    public_key = signing.server_public_key()

    key_file = fresh_data_dir / "signing_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert len(base64.b64decode(public_key)) == 32
    assert signing.server_public_key() == public_key
    assert [p.name for p in fresh_data_dir.iterdir()] == ["signing_key"]


def test_server_key_kept_when_the_file_exists(fresh_data_dir):
    (fresh_data_dir / "signing_key").write_text(signing.private_key_pem(KEY))
    assert signing.server_public_key() == PUBLIC


def test_server_key_written_by_another_process_first_is_kept(fresh_data_dir):
    key_file = fresh_data_dir / "signing_key"
    key_file.write_text(signing.private_key_pem(KEY))
    signing._write_new_key(key_file)
    assert (
        signing.public_key_text(signing.private_key_from_text(key_file.read_text()).public_key())
        == PUBLIC
    )
    assert [p.name for p in fresh_data_dir.iterdir()] == ["signing_key"]


@pytest.mark.parametrize(
    "configured",
    [signing.private_key_pem(KEY), base64.b64encode(SEED).decode(), SEED.hex()],
    ids=["pem", "base64", "hex"],
)
def test_server_key_from_the_setting(fresh_data_dir, settings, configured):
    settings.SIGNING_KEY = configured
    assert signing.server_public_key() == PUBLIC
    assert list(fresh_data_dir.iterdir()) == []


@pytest.mark.parametrize(
    ("configured", "message"),
    [
        ("not a key", "The signing key is not 32 bytes written as base64 or hex."),
        (base64.b64encode(b"short").decode(), "The signing key is not 32 bytes"),
        ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "not a readable PEM"),
    ],
)
def test_server_key_setting_that_is_not_a_key(fresh_data_dir, settings, configured, message):
    settings.SIGNING_KEY = configured
    with pytest.raises(ImproperlyConfigured) as caught:
        signing.server_public_key()
    assert message in str(caught.value)
    assert "FINOPS_SIGNING_KEY" in str(caught.value)


def test_sign_and_verify(fresh_data_dir):
    signature, public_key = signing.sign(b"Finance signed this.")
    assert len(base64.b64decode(signature)) == 64
    assert signing.verifies(b"Finance signed this.", signature=signature, public_key=public_key)
    assert signing.verifies_by_trusted_key(
        b"Finance signed this.", signature=signature, public_key=public_key
    )


def test_signatures_are_deterministic(fresh_data_dir):
    assert signing.sign(b"same") == signing.sign(b"same")


@pytest.mark.parametrize(
    ("message", "signature", "public_key"),
    [
        (b"Finance signed that.", None, None),
        (b"Finance signed this.", "not base64!", None),
        (b"Finance signed this.", base64.b64encode(b"x" * 63).decode(), None),
        (b"Finance signed this.", None, "not a key"),
        (b"Finance signed this.", None, PUBLIC),
        (b"Finance signed this.", None, 12),
    ],
    ids=["other message", "garbage", "short", "bad key", "other key", "not text"],
)
def test_verify_refuses(fresh_data_dir, message, signature, public_key):
    good_signature, good_key = signing.sign(b"Finance signed this.")
    assert not signing.verifies(
        message, signature=signature or good_signature, public_key=public_key or good_key
    )


def test_verify_by_trusted_key_refuses_a_good_signature_of_an_untrusted_key(fresh_data_dir):
    signature = signing.sign_with(KEY, b"hello")
    assert signing.verifies(b"hello", signature=signature, public_key=PUBLIC)
    assert not signing.verifies_by_trusted_key(b"hello", signature=signature, public_key=PUBLIC)


@pytest.mark.parametrize("listed", [PUBLIC, KEY.public_key().public_bytes_raw().hex()])
def test_verify_by_trusted_key_accepts_a_listed_key(fresh_data_dir, settings, listed):
    settings.TRUSTED_SIGNING_KEYS = [listed]
    signature = signing.sign_with(KEY, b"hello")
    assert signing.verifies_by_trusted_key(b"hello", signature=signature, public_key=PUBLIC)
    assert signing.trusted_public_keys() == {signing.server_public_key(), PUBLIC}


def test_trusted_keys_setting_that_is_not_a_key(fresh_data_dir, settings):
    settings.TRUSTED_SIGNING_KEYS = ["<script>"]
    with pytest.raises(ImproperlyConfigured) as caught:
        signing.trusted_public_keys()
    assert str(caught.value) == (
        "FINOPS_TRUSTED_SIGNING_KEYS lists “<script>”, which is not an Ed25519 public key "
        "(32 bytes as base64 or hex)."
    )


def test_fingerprint_is_short_and_the_same_for_every_spelling():
    fingerprint = signing.fingerprint(PUBLIC)
    assert len(fingerprint) == 19
    assert fingerprint.count("-") == 3
    assert signing.fingerprint(KEY.public_key().public_bytes_raw().hex()) == fingerprint
