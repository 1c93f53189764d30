"""A small, complete world for tests: one city with two parks, each with a department, staff,
an enterprise and one user per role. Tests act in `park` and use `other_park` to prove that
nothing crosses the border."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group

from lianqi.accounts.models import User
from lianqi.core.roles import Role
from lianqi.enterprises import creditcode
from lianqi.enterprises.choices import EnterpriseKind
from lianqi.enterprises.models import Enterprise, Industry
from lianqi.org.choices import JurisdictionLevel, StaffTier
from lianqi.org.models import Department, Jurisdiction, Staff

PASSWORD = "Lianqi-test-2026"
_serial = itertools.count(1)


def credit_code(division: str = "430300") -> str:
    """A fresh valid credit code registered in `division`."""
    n = next(_serial)
    return creditcode.complete(f"91{division}{n:09d}"[:17])


def ensure_industries() -> Industry:
    section, _ = Industry.objects.get_or_create(
        code="C", defaults={"level": 1, "name": "制造业", "section": "C"}
    )
    division, _ = Industry.objects.get_or_create(
        code="38", defaults={"level": 2, "name": "电气机械和器材制造业", "section": "C", "parent": section}
    )
    return division


def make_user(username: str, role: str, jurisdiction: Jurisdiction, **extra: Any) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, jurisdiction=jurisdiction, **extra)
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    return user


def make_enterprise(
    jurisdiction: Jurisdiction, name: str, liaison: Staff | None = None, **extra: object
) -> Enterprise:
    fields: dict[str, object] = {
        "credit_code": credit_code(),
        "name": name,
        "kind": EnterpriseKind.ABOVE_SIZE,
        "industry": ensure_industries(),
        "jurisdiction": jurisdiction,
        "liaison": liaison,
        "address": f"{jurisdiction.name}创新大道1号",
    }
    fields.update(extra)
    return Enterprise.objects.create(**fields)


@dataclass
class Side:
    """Everything that belongs to one park."""

    park: Jurisdiction
    department: Department
    liaison_staff: Staff
    enterprise: Enterprise
    users: dict[str, User] = field(default_factory=dict)


@dataclass
class World:
    province: Jurisdiction
    city: Jurisdiction
    home: Side
    other: Side

    def user(self, role: str) -> User:
        return self.home.users[role]

    def other_user(self, role: str) -> User:
        return self.other.users[role]


def _side(city: Jurisdiction, code: str, name: str, prefix: str) -> Side:
    park = Jurisdiction.objects.create(code=code, name=name, level=JurisdictionLevel.PARK, parent=city)
    department = Department.objects.create(jurisdiction=park, name="经济发展局", industry_prefixes="C")
    side = Side(park=park, department=department, liaison_staff=None, enterprise=None)  # type: ignore[arg-type]
    for role in Role:
        side.users[role] = make_user(f"{prefix}_{role}", role, park, display_name=f"{name}{role.label}")
    side.liaison_staff = Staff.objects.create(
        jurisdiction=park,
        name=f"{name}联企干部",
        department=department,
        tier=StaffTier.STAFF,
        phone="13800000001",
        user=side.users[Role.LIAISON],
    )
    side.enterprise = make_enterprise(park, f"{name}示范电缆有限公司", liaison=side.liaison_staff)
    enterprise_user = side.users[Role.ENTERPRISE]
    enterprise_user.enterprise = side.enterprise
    enterprise_user.save(update_fields=["enterprise"])
    return side


def build_world() -> World:
    province = Jurisdiction.objects.create(code="430000", name="湖南省", level=JurisdictionLevel.PROVINCE)
    city = Jurisdiction.objects.create(
        code="430300", name="湘潭市", level=JurisdictionLevel.CITY, parent=province
    )
    home = _side(city, "430371", "湘潭高新区", "home")
    other = _side(city, "430372", "湘潭经开区", "other")
    return World(province=province, city=city, home=home, other=other)
