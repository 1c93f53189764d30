"""Make an Open311 API key and print it once:

manage.py create_open311_key --name "12345 热线对接" --jurisdiction 430371
manage.py create_open311_key --name "某企业 ERP" --jurisdiction 430371 --enterprise 91430300…
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianqi.enterprises import creditcode
from lianqi.enterprises.models import Enterprise
from lianqi.open311 import actions
from lianqi.org.models import Jurisdiction


class Command(BaseCommand):
    help = "Create an Open311 GeoReport v2 API key for a jurisdiction (optionally one enterprise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="who uses the key, e.g. the client system")
        parser.add_argument("--jurisdiction", required=True, help="jurisdiction code, e.g. 430371")
        parser.add_argument("--enterprise", help="unified social credit code of the enterprise")

    def handle(self, *args: Any, **options: Any) -> None:
        jurisdiction = Jurisdiction.objects.filter(code=options["jurisdiction"]).first()
        if jurisdiction is None:
            raise CommandError(f"no jurisdiction with code {options['jurisdiction']}")
        enterprise = None
        if options["enterprise"]:
            code = creditcode.normalise(options["enterprise"])
            enterprise = Enterprise.objects.filter(credit_code=code).first()
            if enterprise is None:
                raise CommandError(f"no enterprise with credit code {code}")
        try:
            key, raw = actions.create_key(
                name=options["name"], jurisdiction=jurisdiction, enterprise=enterprise, actor=None
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stderr.write(f"Created Open311 key {key.prefix}… ({key.name}); it is shown only this once:")
        self.stdout.write(raw)
