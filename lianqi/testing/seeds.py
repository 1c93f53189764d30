"""The reference data the migrations seed (role groups, the holiday calendar, industry sections
and divisions, the demand category catalogue). A test that runs in real transactions (a
browser test against the live server) ends by flushing every table, seeded rows included, so
the tests after it would find an empty catalogue; `reseed` puts the rows back, through the same
functions the migrations run (each only adds what is missing)."""

from __future__ import annotations

import importlib

from django.apps import apps

#: (migration module, function) of every data-seeding migration.
SEEDS = (
    ("lianqi.accounts.migrations.0003_role_groups", "create_groups"),
    ("lianqi.core.migrations.0003_seed_calendar", "seed"),
    ("lianqi.enterprises.migrations.0002_ship_sections_and_divisions", "load"),
    ("lianqi.demands.migrations.0002_seed_categories", "seed"),
    ("lianqi.inspections.migrations.0002_inspection_demand_category", "add_category"),
)


def reseed() -> None:
    """Run every seeding migration's function again on the current database."""
    for module_name, function in SEEDS:
        getattr(importlib.import_module(module_name), function)(apps, None)
