"""GB/T 4754-2017: the shipped sections and divisions, and the full table loaded by command."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from lianqi.enterprises.models import Industry

FULL_TABLE = Path(settings.SHARED_DATA_DIR) / "gbt4754-2017.csv"


@pytest.mark.django_db
def test_sections_and_divisions_ship_with_the_project() -> None:
    assert Industry.objects.filter(level=1).count() == 20
    assert Industry.objects.filter(level=2).count() == 97
    cable = Industry.objects.get(code="38")
    assert cable.parent_id == "C" and cable.name == "电气机械和器材制造业"


@pytest.mark.django_db
@pytest.mark.skipif(
    not FULL_TABLE.exists(), reason="the statistics bureau's full table is not on this machine"
)
def test_import_command_loads_all_four_levels_and_is_repeatable() -> None:
    for _ in range(2):
        out = StringIO()
        call_command("import_industries", str(FULL_TABLE), stdout=out)
        assert "sections 20, divisions 97, groups 473, classes 1380" in out.getvalue()
    counts = [Industry.objects.filter(level=level).count() for level in (1, 2, 3, 4)]
    assert counts == [20, 97, 473, 1380]
    wire = Industry.objects.get(code="3831")
    assert wire.parent is not None and wire.parent_id == "383" and wire.parent.parent_id == "38"


@pytest.mark.django_db
def test_a_file_in_another_shape_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    bad = tmp_path / "industries.csv"
    bad.write_text("代码,名称\n3831,电线电缆制造\n", encoding="utf-8")
    before = Industry.objects.count()
    with pytest.raises(CommandError, match="expected header"):
        call_command("import_industries", str(bad))
    assert Industry.objects.count() == before


@pytest.mark.django_db
def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        call_command("import_industries", str(tmp_path / "none.csv"))
