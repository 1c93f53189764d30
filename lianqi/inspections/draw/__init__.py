"""The verifiable random draw of 双随机一公开: plain Python, no Django, so that anyone can run
the verifier with nothing but Python (docs/inspection-draws.md).

- `Pools.build` puts the enterprise pool, the inspector pool and the recusals in canonical
  form; `pools.fingerprint` is the SHA-256 of the canonical bytes;
- `new_seed` and `commitment` make the secret seed and what is published before the draw;
- `check` lists why the pools cannot serve a draw (`Shortfall`s with their numbers), `draw`
  draws (or raises `DrawRefused`);
- `announcement` and `publication` build the published documents, `verify` recomputes one;
  ``python -m lianqi.inspections.draw.verify draw.json`` does so from the command line.
"""

from .document import DRAW_FORMAT, Outcome, Verification, announcement, dumps, publication, verify
from .engine import Assignment, Draw, check, draw
from .errors import DrawError, DrawRefused, Invalid, InvalidParameters, InvalidPools, Shortage, Shortfall
from .messages import Message
from .pools import ANY, Inspector, Parameters, Pools, Reason, Recusal
from .randomness import commitment, new_seed

__all__ = [
    "ANY",
    "DRAW_FORMAT",
    "Assignment",
    "Draw",
    "DrawError",
    "DrawRefused",
    "Inspector",
    "Invalid",
    "InvalidParameters",
    "InvalidPools",
    "Message",
    "Outcome",
    "Parameters",
    "Pools",
    "Reason",
    "Recusal",
    "Shortage",
    "Shortfall",
    "Verification",
    "announcement",
    "check",
    "commitment",
    "draw",
    "dumps",
    "new_seed",
    "publication",
    "verify",
]
