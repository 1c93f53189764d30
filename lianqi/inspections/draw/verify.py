"""Recompute a published draw: ``python -m lianqi.inspections.draw.verify draw.json``.

Reads the published document (a file, or ``-`` for standard input), recomputes the pools'
fingerprint, checks the revealed seed against its commitment, redraws the enterprises and
their inspectors by the documented algorithm and prints either that everything matches or
exactly what differs. Needs nothing but Python's standard library and this package: no
database, no Django settings.

Exit codes: 0 verified (or, for an announcement whose seed is not yet revealed, the
fingerprint checks out), 1 something differs, 2 the file is not a readable published draw.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from . import messages as m
from .document import Outcome, Verification, verify


def verify_file(path: str) -> Verification:
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        document = json.loads(text)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return Verification(Outcome.MALFORMED, [m.Message(m.UNREADABLE, {"error": str(error)})])
    return verify(document)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lianqi.inspections.draw.verify",
        description="Recompute a published random inspection draw (双随机一公开) and say whether it matches.",
    )
    parser.add_argument("document", help="the published draw (JSON), or - for standard input")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the report")
    args = parser.parse_args(argv)
    result = verify_file(args.document)
    for finding in result.findings:
        print(finding.render(args.lang))
    return int(result.outcome)


if __name__ == "__main__":
    sys.exit(main())
