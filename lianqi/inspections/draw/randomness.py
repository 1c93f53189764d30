"""The committed seed and the deterministic shuffle it keys (docs/inspection-draws.md,
"Seed and commitment" and "The shuffle"). Everything here is specified byte for byte so that
another implementation, in any language, draws the same enterprises in the same order.

- The seed is 32 secret random bytes; its commitment, published before the draw, is
  SHA-256("lianqi.draw.seed/1" 0x00 seed).
- The draw key is HMAC-SHA256(seed, "lianqi.draw.key/1" 0x00 fingerprint 0x00 parameters
  0x00 entropy): one key per seed, pools, parameters and public entropy.
- A stream with a label is HMAC-SHA256(key, label 0x00 counter as 8 bytes big-endian) for
  counter 0, 1, 2, …, concatenated, read 8 bytes at a time as big-endian unsigned integers.
- `below(n)` takes integers x from the stream until x < 2^64 − (2^64 mod n) and returns
  x mod n: uniform, with no modulo bias.
- `shuffled(items, count)`: for i = 0 … count − 1, swap item i with item i + below(len − i)
  (Fisher–Yates from the front); the first `count` items are the draw, in order.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from typing import TypeVar

SEED_BYTES = 32
COMMITMENT_PREFIX = b"lianqi.draw.seed/1\x00"
KEY_PREFIX = b"lianqi.draw.key/1\x00"
ENTERPRISE_STREAM = "enterprises"
INSPECTOR_STREAM = "inspectors"

_TWO_64 = 1 << 64

T = TypeVar("T")


def new_seed() -> bytes:
    """A fresh secret seed from the operating system's cryptographic generator."""
    return secrets.token_bytes(SEED_BYTES)


def commitment(seed: bytes) -> str:
    """What is published before the draw: SHA-256 of the prefixed seed, lowercase hex. The
    prefix keeps this hash from ever equalling a hash of the seed made for another purpose."""
    return hashlib.sha256(COMMITMENT_PREFIX + seed).hexdigest()


def draw_key(seed: bytes, fingerprint: str, parameters: bytes, entropy: str = "") -> bytes:
    """The key of this draw's streams: the seed bound to the pools' fingerprint (hex), the
    canonical parameters and the public entropy, so that the same seed used for other pools
    gives an unrelated draw."""
    message = KEY_PREFIX + fingerprint.encode("ascii") + b"\x00" + parameters + b"\x00" + entropy.encode()
    return hmac.digest(seed, message, "sha256")


class Stream:
    """The random stream labelled `label` under `key`: HMAC-SHA256 in counter mode."""

    def __init__(self, key: bytes, label: str) -> None:
        self._key = key
        self._label = label.encode("ascii") + b"\x00"
        self._counter = 0
        self._buffer: list[int] = []

    def next_u64(self) -> int:
        if not self._buffer:
            block = hmac.digest(self._key, self._label + self._counter.to_bytes(8, "big"), "sha256")
            self._counter += 1
            # Four integers per block, read in order (reversed so that pop() takes the first).
            self._buffer = [int.from_bytes(block[i : i + 8], "big") for i in (24, 16, 8, 0)]
        return self._buffer.pop()

    def below(self, n: int) -> int:
        """A uniform integer in [0, n), by rejection: values at or above the largest multiple
        of n that fits in 64 bits are drawn again."""
        if not 0 < n <= _TWO_64:
            raise ValueError(f"below({n}): n must be in 1 … 2^64")
        limit = _TWO_64 - _TWO_64 % n
        while True:
            x = self.next_u64()
            if x < limit:
                return x % n


def shuffled(stream: Stream, items: Sequence[T], count: int | None = None) -> list[T]:
    """The first `count` items (all by default) of the Fisher–Yates shuffle of `items`
    keyed by `stream`: each ordered selection is equally likely."""
    pool = list(items)
    count = len(pool) if count is None else count
    if not 0 <= count <= len(pool):
        raise ValueError(f"cannot take {count} of {len(pool)} items")
    size = len(pool)
    for i in range(count):
        j = i + stream.below(size - i)
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:count]
