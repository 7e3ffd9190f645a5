"""The server's Ed25519 signing key, and signing and verifying bytes with it.

The private key comes from the `FINOPS_SIGNING_KEY` setting (PEM, or the 32-byte seed as
base64 or hex; every process of a central deployment must share it) or is generated on first
use into `$FINOPS_DATA_DIR/signing_key` (PEM, mode 0600), beside `secret_key`. Public keys
travel as base64 of their 32 raw bytes. Other servers' keys are trusted when listed in the
`FINOPS_TRUSTED_SIGNING_KEYS` setting.

Domain-free: callers decide what the bytes are.
"""

import base64
import binascii
import contextlib
import functools
import hashlib
import os
import tempfile
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_FILE_NAME = "signing_key"
RAW_KEY_BYTES = 32
SIGNATURE_BYTES = 64


class NotAKey(ValueError):
    """Text that is not an Ed25519 key."""


def _raw(text: str, *, what: str) -> bytes:
    """32 bytes written as base64 or hex."""
    text = text.strip()
    candidates = []
    if len(text) == 2 * RAW_KEY_BYTES:
        with contextlib.suppress(ValueError):
            candidates.append(bytes.fromhex(text))
    with contextlib.suppress(binascii.Error, ValueError):
        candidates.append(base64.b64decode(text, validate=True))
    for raw in candidates:
        if len(raw) == RAW_KEY_BYTES:
            return raw
    raise NotAKey(f"{what} is not 32 bytes written as base64 or hex.")


def private_key_from_text(text: str) -> Ed25519PrivateKey:
    """A private key from PEM (PKCS #8) or from its 32-byte seed as base64 or hex."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        except (ValueError, TypeError, UnicodeEncodeError):
            raise NotAKey("The signing key is not a readable PEM private key.") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise NotAKey("The signing key is not an Ed25519 key.")
        return key
    return Ed25519PrivateKey.from_private_bytes(_raw(text, what="The signing key"))


def private_key_pem(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def public_key_text(key: Ed25519PublicKey) -> str:
    """The public key as base64 of its 32 raw bytes, as bundles and settings carry it."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def public_key_from_text(text: str) -> Ed25519PublicKey:
    """A public key from base64 or hex of its 32 raw bytes (NotAKey otherwise)."""
    if not isinstance(text, str):
        raise NotAKey("The public key is not text.")
    return Ed25519PublicKey.from_public_bytes(_raw(text, what="The public key"))


def normalised_public_key(text: str) -> str:
    """The same key in the one form this module writes (base64), for comparing keys."""
    return public_key_text(public_key_from_text(text))


def fingerprint(public_key: str) -> str:
    """A short fingerprint to read aloud or compare by eye: "3f2a-9c41-07be-d5e0"."""
    raw = base64.b64decode(normalised_public_key(public_key))
    digest = hashlib.sha256(raw).hexdigest()[:16]
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))


def _write_new_key(path: Path) -> None:
    """Write a new key to `path` unless another process got there first (never half-written:
    the file appears complete, by a hard link, or not at all)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".signing_key.")
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(private_key_pem(Ed25519PrivateKey.generate()))
        os.chmod(temporary, 0o600)
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


@functools.lru_cache(maxsize=4)
def _load(configured: str, path: str) -> Ed25519PrivateKey:
    try:
        if configured:
            return private_key_from_text(configured)
        key_file = Path(path)
        if not key_file.exists():
            _write_new_key(key_file)
        return private_key_from_text(key_file.read_text())
    except NotAKey as error:
        raise ImproperlyConfigured(f"{error} Check FINOPS_SIGNING_KEY or {path}.") from None


def server_private_key() -> Ed25519PrivateKey:
    """This server's private key (generated on first use when none is configured)."""
    return _load(settings.SIGNING_KEY, str(Path(settings.DATA_DIR) / KEY_FILE_NAME))


def server_public_key() -> str:
    """This server's public key, base64."""
    return public_key_text(server_private_key().public_key())


def trusted_public_keys() -> set[str]:
    """This server's public key and those listed in FINOPS_TRUSTED_SIGNING_KEYS, base64."""
    trusted = {server_public_key()}
    for text in settings.TRUSTED_SIGNING_KEYS:
        try:
            trusted.add(normalised_public_key(text))
        except NotAKey:
            raise ImproperlyConfigured(
                f"FINOPS_TRUSTED_SIGNING_KEYS lists “{text}”, which is not an Ed25519 public "
                "key (32 bytes as base64 or hex)."
            ) from None
    return trusted


def sign_with(key: Ed25519PrivateKey, message: bytes) -> str:
    """`key`'s signature of `message`, base64."""
    return base64.b64encode(key.sign(message)).decode("ascii")


def sign(message: bytes) -> tuple[str, str]:
    """(signature, public key) for `message` signed with this server's key, both base64."""
    key = server_private_key()
    return sign_with(key, message), public_key_text(key.public_key())


def verifies(message: bytes, *, signature: str, public_key: str) -> bool:
    """Whether `signature` (base64) is `public_key`'s signature of `message`. Malformed
    signatures and keys do not verify."""
    try:
        key = public_key_from_text(public_key)
        raw = base64.b64decode(signature, validate=True)
    except (NotAKey, binascii.Error, ValueError, TypeError):
        return False
    if len(raw) != SIGNATURE_BYTES:
        return False
    try:
        key.verify(raw, message)
    except InvalidSignature:
        return False
    return True


def verifies_by_trusted_key(message: bytes, *, signature: str, public_key: str) -> bool:
    """Whether the signature verifies and its key is this server's or a trusted one."""
    try:
        key = normalised_public_key(public_key)
    except NotAKey:
        return False
    return key in trusted_public_keys() and verifies(message, signature=signature, public_key=key)
