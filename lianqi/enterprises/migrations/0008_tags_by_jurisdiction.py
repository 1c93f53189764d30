"""Give every existing tag its place in the tree, so that today's tags keep working.

Until now every tag was one national vocabulary. Each tag now goes where its enterprises are:

- a name in `NATIONAL_NAMES` (titles a national or provincial body awards, the same in every
  park) stays national, whoever carries it;
- a tag whose enterprises are all in one park goes to that park (enterprises in the park's
  townships included: a township keeps no vocabulary of its own);
- a tag carried in several parks goes to their deepest common ancestor (the city when two parks
  of one city carry it), so that every enterprise carrying it still sees it;
- a tag nobody carries stays national. It was visible to every park until now and says nothing
  about who made it; national keeps it where everyone sees it, and an administrator (who alone
  changes national tags) may delete it. Putting it on the root jurisdiction would say the same
  for a single-province installation and would have to guess between roots otherwise.

Names were unique across all tags before, so no two tags land in one jurisdiction with one name.
The functions below are plain Python over paths, tested on their own
(`enterprises/tests/test_tag_jurisdictions.py`). Going back leaves the tags where they are;
undoing 0006 then drops the column and every tag is national again (which fails only if two
jurisdictions have since made tags of one name).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import migrations

#: Titles that mean the same everywhere, awarded by national or provincial bodies: these stay
#: national whoever carries them. Compared after trimming spaces.
NATIONAL_NAMES = frozenset(
    {
        "专精特新",
        "专精特新中小企业",
        "小巨人",
        "专精特新“小巨人”",
        "专精特新小巨人",
        "国家级专精特新“小巨人”企业",
        "高新技术企业",
        "国家高新技术企业",
        "高企",
        "科技型中小企业",
        "创新型中小企业",
        "制造业单项冠军",
        "单项冠军",
        "企业技术中心",
        "国家级企业技术中心",
        "省级企业技术中心",
        "规上工业",
        "规模以上工业企业",
        "规上企业",
        "限上企业",
        "上市企业",
        "外贸企业",
        "独角兽企业",
    }
)

#: Levels that keep a vocabulary. A tag whose enterprises all sit in one township belongs to
#: the township's park or county, whose office manages tags.
VOCABULARY_LEVELS = frozenset({"province", "city", "park", "county"})


def common_path(paths: Iterable[str]) -> str:
    """The deepest path that every path lies under ("" when they share no root)."""
    split = [p.strip("/").split("/") for p in paths]
    if not split:
        return ""
    shared: list[str] = []
    for codes in zip(*split, strict=False):
        if any(code != codes[0] for code in codes):
            break
        shared.append(codes[0])
    return "".join(f"{code}/" for code in shared)


def parent_path(path: str) -> str:
    codes = path.strip("/").split("/")[:-1]
    return "".join(f"{code}/" for code in codes)


def tag_home(name: str, carrier_paths: Iterable[str], levels: Mapping[str, str]) -> str | None:
    """Where a tag goes: the path of its jurisdiction, or None for a national tag. `carrier_paths`
    are the jurisdiction paths of the enterprises carrying it, `levels` each jurisdiction's level
    by path."""
    paths = set(carrier_paths)
    if name.strip() in NATIONAL_NAMES or not paths:
        return None
    path = common_path(paths)
    while path and levels.get(path) not in VOCABULARY_LEVELS:
        path = parent_path(path)
    return path or None


def assign_jurisdictions(apps: Any, schema_editor: Any) -> None:
    Tag = apps.get_model("enterprises", "Tag")
    Enterprise = apps.get_model("enterprises", "Enterprise")
    Jurisdiction = apps.get_model("org", "Jurisdiction")
    through = Enterprise.tags.through
    ids: dict[str, int] = {}
    levels: dict[str, str] = {}
    for pk, path, level in Jurisdiction.objects.values_list("pk", "path", "level").iterator():
        ids[path], levels[path] = pk, level
    carriers: dict[int, set[str]] = defaultdict(set)
    rows = through.objects.values_list("tag_id", "enterprise__jurisdiction_path").distinct()
    for tag_id, path in rows.iterator():
        carriers[tag_id].add(path)
    for tag in Tag.objects.filter(jurisdiction__isnull=True).order_by("pk").iterator():
        home = tag_home(tag.name, carriers.get(tag.pk, ()), levels)
        if home is not None and home in ids:
            # The historical model has no save() of its own: the path is set here.
            tag.jurisdiction_id, tag.jurisdiction_path = ids[home], home
            tag.save(update_fields=["jurisdiction", "jurisdiction_path"])


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0007_tag_jurisdiction"),
        ("org", "0001_initial"),
    ]

    operations = [migrations.RunPython(assign_jurisdictions, migrations.RunPython.noop)]
