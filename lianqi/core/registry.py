"""Registries: how an app adds itself to the shell without core (or a sibling) importing it.

Each app registers from its own ``AppConfig.ready()``:

- `MenuEntry` — a menu entry in a `MenuGroup`, for the roles that may open it;
- `DashboardPart` — cards, lists or a chart on a role's home page (parts of one role are merged
  into one section, in order);
- `ApiRoute` and `register_api_urls` — its viewsets and extra paths under ``/api/v1/``;
- `CodeTile` and `register_code_urls` — its entry points on the enterprise's code page (营商码,
  ``/c/<token>/``) and the pages under it;
- `EnterpriseSection` — its section of the enterprise's file (一企一档), loaded lazily from the
  app's own scoped URL;
- `Measure` — a named figure for a jurisdiction and a period with its definition
  (``demands.satisfaction_rate``), read by dashboards and, later, assessments;
- `SearchProvider` — what the app finds for the staff's one search box;
- `EnterpriseFacts` — a short fact per enterprise for lists of a few enterprises (its open
  demands, the days since it was last visited), such as the liaison's home;
- `OriginProvider` — where a row of another app came from (the visit that raised a demand), so
  the row's page and its API can say so without that app importing this one;
- `EnterpriseAttribute` — an attribute of enterprises an app computes (the credit class, a
  pilot's whitelist): its declaration joins the eligibility engine's enterprise catalogue and
  its values the engine's subject records.

Registering the same key twice replaces the earlier entry, so a reloaded app does not appear
twice. Lookups return entries in a stable order (``order``, then registration).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.urls import URLPattern, URLResolver
from django.utils.functional import Promise

if TYPE_CHECKING:
    # Only for the type: core never imports the engine (they are independent layers), the
    # declaration is made by the app that registers the attribute.
    from lianqi.rules.catalogue import Attribute

Label = str | Promise

# --- Menu ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MenuGroup:
    """A module of the menu (诉求, 企业, 政策 …): entries are shown under their group's label."""

    key: str
    label: Label
    order: int = 100


@dataclass(frozen=True)
class MenuEntry:
    """One menu entry: shown to a user who holds one of `roles` when `url_name` exists."""

    group: str
    label: Label
    url_name: str
    roles: tuple[str, ...]
    order: int = 100


# --- Home page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardPart:
    """Part of a role's home section. `build(user)` returns a `lianqi.core.dashboards.Section`
    (its title, cards, panels, chart or text are merged into the role's one section) or None
    when it has nothing to show this user."""

    key: str
    role: str
    build: Callable[[Any], Any]
    order: int = 100


# --- API -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiRoute:
    """A viewset on the API router under ``/api/v1/<prefix>/``."""

    prefix: str
    viewset: Any
    basename: str
    order: int = 100


# --- The enterprise's code page and file -----------------------------------------------------


@dataclass(frozen=True)
class CodeTile:
    """An entry point on the enterprise's code page. `url_name` takes the token as its one
    argument (an empty one marks a service still to come, shown as 即将开放 until its app
    registers a tile under the same key); `text` says in a line what it offers, and `count(enterprise)`, when given, how many
    of its items are under way. A `public` tile opens a page anyone holding the code may use
    (file a demand, rate); the others open pages that show the enterprise's own data and so ask
    for its verified phone or account first."""

    key: str
    label: Label
    url_name: str
    order: int = 100
    text: Label = ""
    public: bool = False
    count: Callable[[Any], int] | None = None
    #: When given, the tile shows only for an enterprise it answers True for (a service that
    #: is on offer now and then, like a campaign's questionnaire).
    available: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class EnterpriseSection:
    """A section of the enterprise's file (一企一档): `url_name` takes the enterprise's primary
    key and answers the section's HTML fragment, scoped like every page (404 for an enterprise
    the user may not see). Shown to users holding one of `roles`."""

    key: str
    title: Label
    url_name: str
    roles: tuple[str, ...]
    order: int = 100


# --- Measures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A span of days, both ends included."""

    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")


Figure = int | Decimal | None


@dataclass(frozen=True)
class Measure:
    """A named figure: `compute(jurisdiction_path, period)` counts it over the rows of that
    jurisdiction (and those below it) in that period. `definition` says in words how, so a page
    can show it beside the figure; `unit` is "%", "件", "元" … None means there is nothing to
    divide by. `url_name`, when given, names the page (taking no arguments) where the figure is
    computed and explained, so a card showing it can lead there."""

    key: str
    label: Label
    definition: Label
    unit: Label
    compute: Callable[[str, Period], Figure]
    url_name: str = ""


# --- Search ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    """One thing a search found: what it is called, where it opens, a line about it."""

    title: str
    url: str
    meta: str = ""


@dataclass(frozen=True)
class SearchProvider:
    """What an app adds to the staff's one search box: `search(user, q, limit)` answers the
    user's visible rows matching `q` (at most `limit`); `more_url_name` is the app's own list
    page, which takes ``?q=`` to show every match."""

    key: str
    label: Label
    search: Callable[[Any, str, int], list[SearchHit]]
    roles: tuple[str, ...]
    more_url_name: str = ""
    order: int = 100


# --- Where a row came from -------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """Where one row came from, in the app that made it: what it is (`kind`, `label`: 走访记录),
    a line saying which (`text`: the campaign, the day, the liaison), its `id` there, and its
    page and API addresses, empty when the viewer may not open them."""

    kind: str
    label: Label
    text: str
    id: int | None = None
    url: str = ""
    api_url: str = ""


@dataclass(frozen=True)
class OriginProvider:
    """How an app tells where rows of a lower app came from: `find(user, row)` answers the
    `Origin` of `row` (a row of the model labelled `subject`, such as ``demands.Demand``) or None
    when it did not come from this app. The provider scopes what it answers: the addresses only
    for a user who may open them."""

    key: str
    subject: str
    find: Callable[[Any, Any], Origin | None]
    order: int = 100


# --- Facts about a few enterprises -----------------------------------------------------------


@dataclass(frozen=True)
class EnterpriseFacts:
    """What an app can say in a few words about each of some enterprises, for a list that
    names them (the liaison's home): `facts(user, ids)` answers a short text per enterprise id
    (在办诉求 2 件, 距上次联系 12 天), counted on what `user` may see; ids it has nothing to say
    about are left out."""

    key: str
    facts: Callable[[Any, list[int]], dict[int, str]]
    order: int = 100


# --- Attributes of enterprises computed by an app ---------------------------------------------


@dataclass(frozen=True)
class EnterpriseAttribute:
    """An attribute of enterprises that an app computes rather than the register holding it
    (the credit class, a pilot's whitelist), for the rule engine's enterprise catalogue:
    `declaration` is its `lianqi.rules.Attribute` (label, kind, source, choices or unit) — the
    catalogue rules, the rule editor and the explanations use is the built-in one plus these —
    and `values(ids)` answers the value per enterprise id, in a fixed number of queries however
    many ids; an id left out is unknown to the engine, never a default. The subject records
    rules read (`policies.subjects`) take the values in, so policies, finance products and
    anything matching on enterprises can test it."""

    name: str
    values: Callable[[list[int]], dict[int, Any]]
    declaration: Attribute
    order: int = 100

    def __post_init__(self) -> None:
        if self.declaration.name != self.name:
            raise ValueError(f"attribute {self.name!r} is declared as {self.declaration.name!r}")


# --- The registries themselves ---------------------------------------------------------------


@dataclass
class _Registry:
    groups: dict[str, MenuGroup] = field(default_factory=dict)
    menu: dict[str, MenuEntry] = field(default_factory=dict)
    dashboard: dict[str, DashboardPart] = field(default_factory=dict)
    api_routes: dict[str, ApiRoute] = field(default_factory=dict)
    api_urls: dict[str, list[URLPattern | URLResolver]] = field(default_factory=dict)
    code_tiles: dict[str, CodeTile] = field(default_factory=dict)
    code_urls: dict[str, list[URLPattern | URLResolver]] = field(default_factory=dict)
    sections: dict[str, EnterpriseSection] = field(default_factory=dict)
    measures: dict[str, Measure] = field(default_factory=dict)
    search: dict[str, SearchProvider] = field(default_factory=dict)
    origins: dict[str, OriginProvider] = field(default_factory=dict)
    enterprise_facts: dict[str, EnterpriseFacts] = field(default_factory=dict)
    enterprise_attributes: dict[str, EnterpriseAttribute] = field(default_factory=dict)
    # The declarations of `enterprise_attributes`, made again on each registration: the same
    # tuple until then, so the catalogue reading it knows at a glance nothing changed.
    attribute_declarations: tuple[Attribute, ...] = ()


_registry = _Registry()


def register_menu_groups(*groups: MenuGroup) -> None:
    for group in groups:
        _registry.groups[group.key] = group


def register_menu(*entries: MenuEntry) -> None:
    for entry in entries:
        _registry.menu[entry.url_name] = entry


def register_dashboard(*parts: DashboardPart) -> None:
    for part in parts:
        _registry.dashboard[part.key] = part


def register_api_routes(*routes: ApiRoute) -> None:
    for route in routes:
        _registry.api_routes[route.basename] = route


def register_api_urls(app: str, patterns: Sequence[URLPattern | URLResolver]) -> None:
    """Paths under ``/api/v1/`` that are not viewsets on the router (statistics, nested lists),
    tried before the router's."""
    _registry.api_urls[app] = list(patterns)


def register_code_tiles(*tiles: CodeTile) -> None:
    for tile in tiles:
        _registry.code_tiles[tile.key] = tile


def register_code_urls(app: str, patterns: Sequence[URLPattern | URLResolver]) -> None:
    """Pages under ``/c/`` (each pattern starts with ``<str:token>/``), named in the ``codes``
    namespace."""
    _registry.code_urls[app] = list(patterns)


def register_enterprise_sections(*sections: EnterpriseSection) -> None:
    for section in sections:
        _registry.sections[section.key] = section


def register_measures(*measures: Measure) -> None:
    for measure in measures:
        _registry.measures[measure.key] = measure


def register_search(*providers: SearchProvider) -> None:
    for provider in providers:
        _registry.search[provider.key] = provider


def register_origins(*providers: OriginProvider) -> None:
    for provider in providers:
        _registry.origins[provider.key] = provider


def register_enterprise_facts(*providers: EnterpriseFacts) -> None:
    for provider in providers:
        _registry.enterprise_facts[provider.key] = provider


def register_enterprise_attributes(*attributes: EnterpriseAttribute) -> None:
    for attribute in attributes:
        _registry.enterprise_attributes[attribute.name] = attribute
    _registry.attribute_declarations = tuple(
        attribute.declaration for attribute in _ordered(list(_registry.enterprise_attributes.values()))
    )


def enterprise_attribute_declarations() -> tuple[Attribute, ...]:
    """The declarations of the registered enterprise attributes, in order (the same tuple until
    another is registered)."""
    return _registry.attribute_declarations


def _ordered(items: Sequence[Any]) -> list[Any]:
    # `sorted` is stable: equal orders keep registration order.
    return sorted(items, key=lambda item: item.order)


def menu_groups() -> list[MenuGroup]:
    return _ordered(list(_registry.groups.values()))


def menu_entries() -> list[MenuEntry]:
    """Every menu entry, by its group's order and then its own. Two groups of the same order
    keep their entries apart (by the group's key), so a module is never split in two."""
    group_order = {g.key: g.order for g in _registry.groups.values()}
    return sorted(_registry.menu.values(), key=lambda e: (group_order.get(e.group, 1000), e.group, e.order))


def dashboard_parts(role: str) -> list[DashboardPart]:
    return _ordered([p for p in _registry.dashboard.values() if p.role == role])


def api_routes() -> list[ApiRoute]:
    return _ordered(list(_registry.api_routes.values()))


def api_urlpatterns() -> list[URLPattern | URLResolver]:
    return [pattern for patterns in _registry.api_urls.values() for pattern in patterns]


def code_tiles() -> list[CodeTile]:
    return _ordered(list(_registry.code_tiles.values()))


def code_urlpatterns() -> list[URLPattern | URLResolver]:
    return [pattern for patterns in _registry.code_urls.values() for pattern in patterns]


def enterprise_sections() -> list[EnterpriseSection]:
    return _ordered(list(_registry.sections.values()))


def search_providers() -> list[SearchProvider]:
    return _ordered(list(_registry.search.values()))


def origins_of(subject: str, user: Any, row: Any) -> list[Origin]:
    """Where `row` (of the model labelled `subject`) came from, as `user` may see it: the
    answer of every provider registered for that model that knows it."""
    providers = _ordered([p for p in _registry.origins.values() if p.subject == subject])
    found = (provider.find(user, row) for provider in providers)
    return [origin for origin in found if origin is not None]


def enterprise_facts(user: Any, ids: list[int]) -> dict[int, list[str]]:
    """Every registered app's short facts about the enterprises `ids`, in the providers' order."""
    found: dict[int, list[str]] = {pk: [] for pk in ids}
    for provider in _ordered(list(_registry.enterprise_facts.values())):
        for pk, text in provider.facts(user, ids).items():
            found.setdefault(pk, []).append(text)
    return found


def enterprise_attribute_values(ids: list[int], *, skip: Collection[str] = ()) -> dict[int, dict[str, Any]]:
    """Every registered attribute's values for the enterprises `ids`: id → {name: value}, an
    attribute left out where its app knows nothing of the enterprise. The attributes named in
    `skip` are not computed (an attribute computed from rules on the records themselves, such
    as a whitelist, reads the records without itself)."""
    found: dict[int, dict[str, Any]] = {pk: {} for pk in ids}
    for attribute in _ordered(list(_registry.enterprise_attributes.values())):
        if attribute.name in skip:
            continue
        for pk, value in attribute.values(ids).items():
            if pk in found and value is not None:
                found[pk][attribute.name] = value
    return found


def measures() -> list[Measure]:
    return sorted(_registry.measures.values(), key=lambda m: m.key)


def measure(key: str) -> Measure:
    """The measure registered under `key`; `KeyError` names what exists when it is missing."""
    try:
        return _registry.measures[key]
    except KeyError:
        raise KeyError(f"no measure {key!r}; registered: {', '.join(sorted(_registry.measures))}") from None
