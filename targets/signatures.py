"""The server's signature of a finance sign-off.

A sign-off is signed (Ed25519, common.signing) over one message that binds what finance saw
and who signed it: the signed values exactly as stored (their canonical JSON text, which names
the agent, its KPIs and benchmarks), their SHA-256, the signer's name and role or title, the
moment of signing and the workshop's identity. The message is canonical JSON, kept with the
sign-off so that a bundle can carry it, and another server can check it, byte for byte.
"""

import datetime
import hashlib
import json

from common import signing

PURPOSE = "ai-finops-workshop finance sign-off 1"
MESSAGE_KEYS = {
    "purpose",
    "workshop_uid",
    "signer_name",
    "signer_title",
    "signed_at",
    "values_sha256",
    "signed_values",
}


def _moment(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat()


def signoff_message(
    *,
    workshop_uid,
    signer_name: str,
    signer_title: str,
    signed_at: datetime.datetime,
    values_sha256: str,
    signed_values: str,
) -> str:
    """The text a sign-off's signature covers."""
    return json.dumps(
        {
            "purpose": PURPOSE,
            "workshop_uid": str(workshop_uid),
            "signer_name": signer_name,
            "signer_title": signer_title,
            "signed_at": _moment(signed_at),
            "values_sha256": values_sha256,
            "signed_values": signed_values,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def signoff_signature(**message_parts) -> dict[str, str]:
    """The fields of a sign-off made on this server: its message (see signoff_message for the
    parts), this server's signature of it and this server's public key."""
    message = signoff_message(**message_parts)
    signature, public_key = signing.sign(message.encode("utf-8"))
    return {"signed_message": message, "signature": signature, "public_key": public_key}


def message_parts(message: str) -> dict | None:
    """The parts of a sign-off message, or None when it is not one (wrong JSON, keys, kinds
    or purpose, or signed values that do not match their SHA-256)."""
    try:
        parts = json.loads(message)
    except (TypeError, ValueError, RecursionError):
        return None
    if not isinstance(parts, dict) or set(parts) != MESSAGE_KEYS:
        return None
    if not all(isinstance(value, str) for value in parts.values()):
        return None
    if parts["purpose"] != PURPOSE:
        return None
    digest = hashlib.sha256(parts["signed_values"].encode("utf-8")).hexdigest()
    if digest != parts["values_sha256"]:
        return None
    try:
        parts["signed_at"] = datetime.datetime.fromisoformat(parts["signed_at"])
    except ValueError:
        return None
    if parts["signed_at"].tzinfo is None:
        return None
    return parts


def signature_trusted(*, signed_message: str, signature: str, public_key: str) -> bool:
    """Whether the signature of the message verifies against this server's key or a key
    listed in FINOPS_TRUSTED_SIGNING_KEYS."""
    return signing.verifies_by_trusted_key(
        signed_message.encode("utf-8"), signature=signature, public_key=public_key
    )
