"""The picker widget: a select holding only the chosen rows, validated by the field's scoped
queryset; and the vendored files' hashes as the manifest records them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django import forms
from django.conf import settings
from django.urls import reverse

from lianqi.core.forms import PickerSelect, PickerSelectMultiple
from lianqi.core.roles import Role
from lianqi.enterprises.models import Enterprise
from lianqi.enterprises.permissions import visible
from lianqi.testing.world import World, make_enterprise

VENDOR = Path(settings.BASE_DIR) / "lianqi" / "static" / "vendor"


def picker_form(user: object) -> type[forms.Form]:
    class Form(forms.Form):
        one = forms.ModelChoiceField(queryset=visible(user), widget=PickerSelect("enterprises:pick"))
        many = forms.ModelMultipleChoiceField(
            queryset=visible(user),
            required=False,
            widget=PickerSelectMultiple("enterprises:pick", query="x=1"),
        )

    return Form


def test_only_the_chosen_rows_are_options(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    second = make_enterprise(world.home.park, "湘潭高新区第二家公司")
    make_enterprise(world.home.park, "湘潭高新区不选的公司")
    form = picker_form(office)(initial={"one": world.home.enterprise.pk, "many": [second.pk]})
    html = str(form["one"]) + str(form["many"])
    assert f'data-picker="{reverse("enterprises:pick")}"' in html
    assert f'data-picker="{reverse("enterprises:pick")}?x=1"' in html
    assert world.home.enterprise.name in html and second.name in html
    assert "不选的公司" not in html
    assert html.count("<option") == 3  # 请选择, the one, the many


def test_a_row_outside_the_scope_is_a_field_error(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    for value in (world.other.enterprise.pk, "x", 10**9):
        form = picker_form(office)(data={"one": value, "many": [world.other.enterprise.pk]})
        assert not form.is_valid()
        assert set(form.errors) == {"one", "many"}
        assert world.other.enterprise.name not in str(form["one"]) + str(form["many"])
    form = picker_form(office)(data={"one": world.home.enterprise.pk})
    assert form.is_valid() and form.cleaned_data["one"] == Enterprise.objects.get(pk=world.home.enterprise.pk)


def test_vendored_files_match_the_manifest() -> None:
    manifest = json.loads((VENDOR / "MANIFEST.json").read_text())
    assert "tom-select" in manifest
    for name, entry in manifest.items():
        for filename, digest in entry["files"].items():
            content = (VENDOR / name / filename).read_bytes()
            assert digest == f"sha256-{hashlib.sha256(content).hexdigest()}", (name, filename)
