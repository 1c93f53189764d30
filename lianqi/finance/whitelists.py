"""Whitelist membership as an attribute of enterprises the rules can test: `finance_whitelists`
holds the codes of the pilots whose whitelist takes the enterprise in, so a product's admission
rule can say "on the movable-property pledge pilot's whitelist" (``has DCZY``)."""

from __future__ import annotations

from lianqi.rules.catalogue import Attribute, AttributeKind, gettext_noop

WHITELISTS = "finance_whitelists"

#: Its declaration in the rule engine's enterprise catalogue, registered with its values.
DECLARATION = Attribute(
    WHITELISTS,
    gettext_noop("融资试点白名单"),
    AttributeKind.TAGS,
    gettext_noop("融资试点"),
)
