"""Table join codes: unguessable, typed on laptops, read off a projector."""

import secrets

# No look-alikes: no 0/O, 1/I/L, U/V.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
LENGTH = 10  # 29**10 is about 2**48.6
GROUP = 5


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def format_code(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise_code(typed: str) -> str:
    """What a person typed, as stored: upper case, group separators and spaces dropped."""
    return "".join(ch for ch in typed.upper() if ch.isascii() and ch.isalnum())[:32]
