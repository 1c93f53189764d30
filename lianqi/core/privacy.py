"""How personal data is shown to those who may not see it whole, and the one rule that decides
who may.

The only personal data Lianqi holds about people, as opposed to enterprises, is their mobile
number: a cadre's work phone (`org.Staff.phone`) and the phone of a person at an enterprise (a
contact, the filer of a demand, the applicant of a policy). There are no ID-card numbers and no
home addresses; an enterprise's address is printed on its gate and is not masked. Were such a
field added, it would join `Holder` and the rule below rather than get a rule of its own.

Every page, export, API serializer and message that shows a number asks `sees_full_phone` (or a
`PhonePolicy`, its per-request form for lists and exports); none decides by itself. Callers
state the viewer's *ties* to the person (`Tie`); this module knows no app, so it never looks
them up itself.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .roles import Role, has_role
from .scoping import path_visible


def mask_phone(phone: str) -> str:
    """138****5678: enough to recognise a number, not enough to call it."""
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


class Holder(enum.StrEnum):
    """Whose number it is."""

    #: A cadre of the administration: a liaison, a handler, a leader (their work mobile).
    STAFF = "staff"
    #: A person at an enterprise: a contact, the filer of a demand, a policy's applicant.
    CONTACT = "contact"


class Tie(enum.StrEnum):
    """What links the viewer to the person whose number is shown. The caller, which knows the
    rows, names the ties; the rule decides what they open."""

    #: The number is the viewer's own.
    SELF = "self"
    #: The person belongs to the enterprise the viewer speaks for (its account, or whoever
    #: holds its code on the code page).
    OWN_ENTERPRISE = "own_enterprise"
    #: The viewer is the liaison of the person's enterprise (or took in the demand they filed).
    SERVES = "serves"
    #: The viewer's department handles a demand the person filed.
    HANDLES = "handles"
    #: The staff member is the liaison of the enterprise the viewer speaks for.
    OUR_LIAISON = "our_liaison"


#: Roles that see every number of their own jurisdiction in full: they run the park's staff
#: and its register, and phone anyone in it.
WHOLE_ROLES: tuple[str, ...] = (Role.LEADER, Role.SERVICE_OFFICE, Role.ADMIN)

#: For each holder, the ties that open a number to anyone else.
OPENING_TIES: dict[Holder, frozenset[Tie]] = {
    Holder.STAFF: frozenset({Tie.SELF, Tie.OUR_LIAISON}),
    Holder.CONTACT: frozenset({Tie.OWN_ENTERPRISE, Tie.SERVES, Tie.HANDLES}),
}


def sees_full_phone(user: Any, holder: Holder, ties: Iterable[Tie] = (), *, path: str | None = None) -> bool:
    """Whether `user` sees a number of `holder` in full; otherwise it is shown masked
    (`mask_phone`). The rule, for every page, export, endpoint and message:

    - The leader, the service office (营商办) and the administrator see every number of their
      own jurisdiction and those below it: a cadre's, a contact's, a filer's. `path` is the
      jurisdiction path of the record the number belongs to (the cadre's own, wherever they
      are shown, even as a liaison; the enterprise's for its people); a city-level cadre
      serving a park's enterprise is outside the park office's jurisdiction, so the park
      office falls under the rules below for that number like anyone else.
    - A cadre's work phone is otherwise seen in full only by the cadre themselves (`SELF`) and by
      the enterprise they are liaison of (`OUR_LIAISON`: its account users, and whoever holds
      its code on the code page, which is printed for that). So a liaison or a department
      handler sees their colleagues masked, on the staff list and in every export.
    - A person at an enterprise is otherwise seen in full by that enterprise (`OWN_ENTERPRISE`),
      by its liaison (`SERVES`: a liaison calls their own enterprises, not others') and by the
      department handling a demand that person filed (`HANDLES`).
    - Everyone else sees numbers masked: a finance institution's user, a handler on the
      register, a liaison looking at another liaison's enterprise, the public.
    """
    if has_role(user, WHOLE_ROLES) and (path is None or path_visible(user, path)):
        return True
    return not OPENING_TIES[holder].isdisjoint(ties)


@dataclass
class PhonePolicy:
    """`sees_full_phone` for one user and one kind of holder, asked once per row of a list or
    an export. `whole` says whether the user sees every number of the column (the roles of
    `WHOLE_ROLES`); when not, an export marks the column as masked in its header, since
    numbers there are masked unless the viewer has a tie to the row."""

    user: Any
    holder: Holder
    whole: bool = field(init=False)

    def __post_init__(self) -> None:
        self.whole = has_role(self.user, WHOLE_ROLES)

    @property
    def masks_column(self) -> bool:
        """Whether a column of these numbers is (at least partly) masked for this user."""
        return not self.whole

    def sees(self, ties: Iterable[Tie] = (), *, path: str | None = None) -> bool:
        return sees_full_phone(self.user, self.holder, ties, path=path)

    def show(self, phone: str | None, ties: Iterable[Tie] = (), *, path: str | None = None) -> str:
        """The number as this user may see it: in full, masked, or empty when there is none."""
        if not phone:
            return ""
        return phone if self.sees(ties, path=path) else mask_phone(phone)
