"""Keys for the history: a keyed hash for what is only compared, Fernet for what is kept.

- **Keyed hash** (HMAC-SHA256): user ids and the text of offered phrasings are stored only as
  this hash, so the database alone cannot be searched for a known phrase or person. The hash
  key is, in order: the `hash.key` file in the data folder if it exists; else derived from the
  data key; else 32 random bytes generated into `hash.key` (mode 0600) on first start. A file,
  once there, wins, so setting a data key later does not orphan a history.
- **Fernet** (`cryptography`): a story, its evidence spans and offered texts are kept only when
  the person turned `keep_text` on, and then encrypted with the data key
  (`REPAIR_COACH_DATA_KEY`: a Fernet key, or several separated by commas, the first used to
  encrypt, so a key can be rotated). Without a data key `keep_text` is refused (`NoDataKey`).

A new data key: `python -m db.crypto`.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from coaching.ports import HistoryUnavailable

HASH_KEY_FILE = "hash.key"
_HASH_KEY_BYTES = 32
_DERIVE_LABEL = b"repair-coach hash key v1"
_CHECK_LABEL = b"repair-coach key check v1"
NEW_KEY_HINT = "python -m db.crypto  (prints a new key for REPAIR_COACH_DATA_KEY)"


class NoDataKey(ValueError):
    """`keep_text` was asked for, but there is no data key to encrypt the text with."""

    def __init__(self) -> None:
        super().__init__(
            "keep_text needs an encryption key: set REPAIR_COACH_DATA_KEY "
            f"(make one with: {NEW_KEY_HINT}); nothing was changed"
        )


class Keys:
    """The hash key and, when configured, the Fernet keys."""

    def __init__(self, hash_key: bytes, fernet: MultiFernet | None) -> None:
        if len(hash_key) < 16:
            raise ValueError("hash key too short")
        self._hash_key = hash_key
        self._fernet = fernet

    @property
    def can_encrypt(self) -> bool:
        return self._fernet is not None

    def digest(self, kind: str, text: str) -> str:
        """HMAC-SHA256 of `text`, separated by `kind` ("user", "offered"), as hex."""
        message = kind.encode("ascii") + b"\0" + text.encode("utf-8", "surrogatepass")
        return hmac.new(self._hash_key, message, hashlib.sha256).hexdigest()

    def check_value(self) -> str:
        """A value that tells which hash key wrote a database, without revealing it."""
        return hmac.new(self._hash_key, _CHECK_LABEL, hashlib.sha256).hexdigest()

    def encrypt(self, text: str) -> bytes:
        if self._fernet is None:
            raise NoDataKey()
        return self._fernet.encrypt(text.encode("utf-8", "surrogatepass"))

    def decrypt(self, token: bytes | None) -> str | None:
        """The text, or None when there is none or it cannot be read with these keys."""
        if token is None or self._fernet is None:
            return None
        try:
            return self._fernet.decrypt(token).decode("utf-8", "surrogatepass")
        except (InvalidToken, UnicodeDecodeError):
            return None


def new_data_key() -> str:
    return Fernet.generate_key().decode("ascii")


def load_keys(data_dir: Path, data_key: str | None) -> Keys:
    """The keys for a history in `data_dir` (see the module docstring); HistoryUnavailable
    with one line when the data key is malformed or the hash key file cannot be used."""
    fernet = _fernet(data_key) if data_key else None
    return Keys(_hash_key(data_dir, data_key or None), fernet)


def _fernet(data_key: str) -> MultiFernet:
    try:
        return MultiFernet([Fernet(part.strip()) for part in data_key.split(",") if part.strip()])
    except (ValueError, TypeError):
        raise HistoryUnavailable(
            f"REPAIR_COACH_DATA_KEY is not a Fernet key (make one with: {NEW_KEY_HINT})"
        ) from None


def _hash_key(data_dir: Path, data_key: str | None) -> bytes:
    path = data_dir / HASH_KEY_FILE
    if path.exists():
        return _read_hash_key(path)
    if data_key:
        first = data_key.split(",")[0].strip().encode("ascii", "replace")
        return hmac.new(first, _DERIVE_LABEL, hashlib.sha256).digest()
    key = secrets.token_bytes(_HASH_KEY_BYTES)
    temporary = data_dir / f".{HASH_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
    try:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(key.hex() + "\n")
        # Linking is atomic and refuses an existing name: two first starts agree on one key.
        os.link(temporary, path)
    except FileExistsError:
        return _read_hash_key(path)
    except OSError as error:
        raise HistoryUnavailable(
            f"cannot create the history hash key in {data_dir}: {error.strerror}"
        ) from None
    finally:
        temporary.unlink(missing_ok=True)
    return key


def _read_hash_key(path: Path) -> bytes:
    try:
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError, UnicodeDecodeError):
        key = b""
    if len(key) != _HASH_KEY_BYTES:
        raise HistoryUnavailable(f"the history hash key file is unreadable: {path}")
    return key


if __name__ == "__main__":
    print(new_data_key())
