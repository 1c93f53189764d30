"""Reads of the enterprise register that pages, exports and the API share."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from lianqi.org.models import Jurisdiction, Staff
from lianqi.org.validators import normalise_mobile

from .filters import EnterpriseFilter
from .models import Contact, Enterprise, RetiredCodeToken, Tag, YearFigure
from .permissions import can_see_contact_phone, tags_above, tags_visible, visible


def enterprise_list(user: Any, params: Any) -> tuple[EnterpriseFilter, QuerySet[Enterprise]]:
    """The enterprises a user may see, filtered, searched and sorted by `params`."""
    base = visible(user).select_related("industry", "liaison", "liaison__department")
    filterset = EnterpriseFilter(params, queryset=base, user=user)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    if not params.get("sort"):
        queryset = queryset.order_by("name", "pk")
    return filterset, queryset


def enterprises_in_full(user: Any) -> QuerySet[Enterprise]:
    """The enterprises a user may see, with everything the API answers about each loaded
    alongside (industry, jurisdiction, liaison, tags, figures, contacts)."""
    return (
        visible(user)
        .select_related("industry", "jurisdiction", "liaison", "liaison__department")
        .prefetch_related(
            "tags",
            "year_figures",
            Prefetch("contacts", queryset=Contact.objects.select_related("enterprise")),
        )
        .order_by("name", "pk")
    )


def enterprise_by_token(token: str) -> Enterprise | None:
    """The enterprise whose current code carries `token` (anyone holding the code may open its
    page), with its liaison."""
    return (
        Enterprise.objects.select_related("liaison", "liaison__department").filter(code_token=token).first()
    )


def token_retired(token: str) -> bool:
    """Whether `token` is a code that was replaced (its page says so rather than "unknown")."""
    return RetiredCodeToken.objects.filter(token=token).exists()


def is_registered_phone(enterprise: Enterprise, phone: str) -> bool:
    """Whether `phone` is one the enterprise registered with the park: a contact's mobile or
    the mobile on one of its users' active accounts. Confirming such a phone by SMS opens the
    enterprise's own data on its code pages."""
    phone = normalise_mobile(phone)
    if not phone:
        return False
    contacts = Contact.objects.filter(enterprise=enterprise).exclude(phone="").values_list("phone", flat=True)
    users = enterprise.users.filter(is_active=True).exclude(phone="").values_list("phone", flat=True)
    return any(normalise_mobile(known) == phone for known in [*contacts, *users])


def tags_in_order(user: Any) -> QuerySet[Tag]:
    """The tags a user sees (`permissions.tags_visible`), as lists show them: national ones
    first, then from the top of the tree down, each vocabulary in its own order."""
    return (
        tags_visible(user).select_related("jurisdiction").order_by("jurisdiction_path", "order", "name", "pk")
    )


def tag_label(tag: Tag, user: Any) -> str:
    """A tag's name in a picker, with its jurisdiction's name when that is not the user's own
    and the tag is not national: a city sees two parks' tags of one name apart."""
    own = getattr(user, "jurisdiction_id", None)
    if tag.jurisdiction is None or tag.jurisdiction_id == own:
        return tag.name
    return f"{tag.name}（{tag.jurisdiction.short_name or tag.jurisdiction.name}）"


def tag_choices(user: Any) -> list[tuple[int, str]]:
    """(pk, label) of every tag the user sees, for filter selects."""
    return [(tag.pk, tag_label(tag, user)) for tag in tags_in_order(user)]


def merge_targets(user: Any, source: Tag) -> QuerySet[Tag]:
    """The tags `source` may be merged into (`actions.tags.check_merge_target`) that the user
    sees: national ones, and for a tag of a jurisdiction those of that jurisdiction and above."""
    targets = tags_in_order(user).exclude(pk=source.pk)
    if source.is_national:
        return targets.filter(jurisdiction__isnull=True)
    return targets.filter(tags_above(source.jurisdiction_path))


def tags_of(enterprise: Enterprise) -> list[Tag]:
    return list(enterprise.tags.order_by("order", "name"))


def figures_of(enterprise: Enterprise) -> list[YearFigure]:
    """An enterprise's yearly figures, the latest year first."""
    return list(enterprise.year_figures.order_by("-year"))


def contacts_of(user: Any, enterprise: Enterprise) -> list[Contact]:
    """An enterprise's contacts, each with `phone_display`: the number, or its masked form for a
    user who may not see it (`permissions.can_see_contact_phone`)."""
    contacts = list(enterprise.contacts.all())
    for contact in contacts:
        contact.enterprise = enterprise
        contact.phone_display = (  # type: ignore[attr-defined]
            contact.phone if can_see_contact_phone(user, contact) else contact.masked_phone
        )
    return contacts


def tag_counts(user: Any) -> dict[int, int]:
    """For each tag, how many enterprises the user may see carry it (one grouped query)."""
    through = Enterprise.tags.through
    rows = (
        through.objects.filter(enterprise_id__in=visible(user).values("pk"))
        .values("tag_id")
        .annotate(n=Count("enterprise_id"))
    )
    return {row["tag_id"]: row["n"] for row in rows}


def tag_in_use(tag: Tag) -> bool:
    """Whether any enterprise, in any jurisdiction, carries the tag."""
    return Enterprise.objects.filter(tags=tag).exists()


def _display_value(field_name: str, value: Any, names: dict[str, dict[Any, str]]) -> str:
    if value is None or value == "":
        return "—"
    choices = getattr(Enterprise._meta.get_field(field_name), "choices", None)
    if choices:
        return str(dict(choices).get(value, value))
    if field_name in names:
        return names[field_name].get(value, str(value))
    return str(value)


def history_entries(enterprise: Enterprise, limit: int = 50) -> list[dict[str, Any]]:
    """The enterprise's field history, newest first: who, when, and each field's old and new
    value (from django-simple-history's `diff_against`)."""
    records = list(
        enterprise.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    entries: list[dict[str, Any]] = []
    pending: list[tuple[dict[str, Any], list[Any]]] = []
    ids: dict[str, set[Any]] = {"jurisdiction": set(), "liaison": set()}
    for index, record in enumerate(records[:limit]):
        entry: dict[str, Any] = {
            "at": record.history_date,
            "user": record.history_user,
            "type": record.history_type,
            "reason": record.history_change_reason or "",
            "changes": [],
        }
        older = records[index + 1] if index + 1 < len(records) else None
        if older is not None and record.history_type == "~":
            changes = record.diff_against(older).changes
            # diff_against skips non-editable fields; the code token is one a reader should
            # still see change (shown as "the code was replaced", never the tokens).
            if record.code_token != older.code_token:
                entry["changes"].append({"label": _("营商码"), "old": _("旧码"), "new": _("已更换")})
            for change in changes:
                if change.field in ids:
                    ids[change.field].update(v for v in (change.old, change.new) if v is not None)
            pending.append((entry, changes))
        entries.append(entry)
    names: dict[str, dict[Any, str]] = {
        "jurisdiction": dict(
            Jurisdiction.objects.filter(pk__in=ids["jurisdiction"]).values_list("pk", "name")
        ),
        "liaison": dict(Staff.objects.filter(pk__in=ids["liaison"]).values_list("pk", "name")),
    }
    for entry, changes in pending:
        for change in changes:
            label = str(getattr(Enterprise._meta.get_field(change.field), "verbose_name", change.field))
            entry["changes"].append(
                {
                    "label": label,
                    "old": _display_value(change.field, change.old, names),
                    "new": _display_value(change.field, change.new, names),
                }
            )
    return entries
