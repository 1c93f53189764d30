"""Static files in production: WhiteNoise's compressed, hashed storage, tolerant of one thing the
vendored files carry — a source map comment whose map is not shipped (the maps are for the
libraries' authors, and vendoring them would double the download). Any other missing file
still stops `collectstatic`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def url_converter(
        self, name: str, hashed_files: Any, template: str | None = None
    ) -> Callable[[Any], str]:
        convert = super().url_converter(name, hashed_files, template)

        def converter(matchobj: Any) -> str:
            try:
                return convert(matchobj)
            except ValueError:
                if str(matchobj.groupdict().get("url") or "").strip().endswith(".map"):
                    return str(matchobj.group("matched"))
                raise

        return converter
