"""Verification codes: pure functions, no ORM.

A code is 16 characters from an alphabet without look-alikes (no 0/O, 1/I/L, U), so it can be
read off paper and typed: 30**16 ≈ 4 × 10**23 (about 78 bits), far beyond what anyone can try
against the public verification page."""

import re
import secrets
import unicodedata

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16
GROUP = 4
_VALID = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")
# Separators people type or copy between groups: spaces, hyphens and dashes of every width.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str | None) -> str:
    """What a person typed, as stored: full-width characters folded (Chinese input methods),
    separators dropped, upper case."""
    text = unicodedata.normalize("NFKC", raw or "")
    return _SEPARATORS.sub("", text).upper()


def is_well_formed(code: str) -> bool:
    return bool(_VALID.match(code))


def grouped(code: str) -> str:
    """ABCD-EFGH-JKMN-PQRS: easier to read aloud and copy."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
