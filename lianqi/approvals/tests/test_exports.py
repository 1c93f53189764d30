"""Excel exports of approvals' lists: the runs (as filtered on the page) and the charts, each a
list contract (the other park's export holds none of the home park's rows) with the figures
the pages show."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lianqi.core.roles import Role
from lianqi.testing.contracts import ListExportContract
from lianqi.testing.world import World

from ..models import Chart
from ..permissions import MANAGERS, READERS
from .factories import PROJECT, make_chart, make_run


class TestRunExportContract(ListExportContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def marker(self, world: World) -> str:
        return PROJECT

    def url(self, world: World) -> str:
        make_run(world)
        return reverse("approvals:export")


class TestChartExportContract(ListExportContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def marker(self, world: World) -> str:
        return world.home.park.name

    def url(self, world: World) -> str:
        if not Chart.objects.filter(jurisdiction=world.home.park).exists():
            make_chart(world)
        return reverse("approvals:charts_export")


def sheet(world: World, url: str) -> list[tuple[Any, ...]]:
    client = Client()
    client.force_login(world.user(Role.SERVICE_OFFICE))
    response = client.get(url)
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))


def test_the_runs_export_has_the_page_s_figures(world: World) -> None:
    run = make_run(world)
    [header, row] = sheet(world, reverse("approvals:export"))
    assert header[0] == "项目" and row[0] == PROJECT and row[1] == run.chart.name
    assert (row[3], row[4], row[7]) == (0, run.items.count(), run.target_workdays)
    # A filter that leaves the run out leaves it out of the export too.
    assert len(sheet(world, reverse("approvals:export") + "?finished=true")) == 1


def test_the_charts_export_has_the_critical_path(world: World) -> None:
    from ..queries import chart_layout

    chart = make_chart(world)
    [_header, row] = sheet(world, reverse("approvals:charts_export"))
    layout = chart_layout(chart)
    assert row[0] == chart.name and (row[3], row[4], row[5]) == (
        len(layout.items),
        layout.schedule.length,
        chart.target_workdays,
    )
