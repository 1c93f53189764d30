"""Every write of supply and demand, by subject: offers, needs, introductions and matching
events (`listings`), purchases one by one or from Excel (`purchases`), the industrial chains
(`chains`) and the local-purchase subsidy paid from the purchases (`subsidy`). Each action is
keyword-only and checks who acts; bad input is a `ValidationError` naming its field, and
nothing is written."""

from .chains import (
    add_member,
    add_node,
    create_chain,
    fair_from_chain,
    may_manage_chain,
    place_firm,
    record_meeting,
    remove_firm,
)
from .invitations import Invitation, invitation_preview, send_invitations
from .listings import (
    STEPS,
    create_fair,
    create_need,
    create_offer,
    drop_introduction,
    introduce,
    invite,
    may_introduce,
    may_record_for,
    record_deal,
    record_fair_deal,
    update_need,
    update_offer,
    withdraw_need,
    withdraw_offer,
    yuan,
)
from .purchases import (
    IMPORT_COLUMNS,
    ImportRefused,
    RowProblem,
    import_purchases,
    record_purchase,
    update_purchase,
)
from .subsidy import SubsidyRun, grant_local_purchase_subsidy, subsidy_due

__all__ = [
    "IMPORT_COLUMNS",
    "STEPS",
    "ImportRefused",
    "Invitation",
    "RowProblem",
    "SubsidyRun",
    "add_member",
    "add_node",
    "create_chain",
    "create_fair",
    "create_need",
    "create_offer",
    "drop_introduction",
    "fair_from_chain",
    "grant_local_purchase_subsidy",
    "import_purchases",
    "introduce",
    "invitation_preview",
    "invite",
    "may_introduce",
    "may_manage_chain",
    "may_record_for",
    "place_firm",
    "record_deal",
    "record_fair_deal",
    "record_meeting",
    "record_purchase",
    "remove_firm",
    "send_invitations",
    "subsidy_due",
    "update_need",
    "update_offer",
    "update_purchase",
    "withdraw_need",
    "withdraw_offer",
    "yuan",
]
