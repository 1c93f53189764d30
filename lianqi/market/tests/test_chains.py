"""Purchases, industrial chains and the local-purchase subsidy as users meet them: a purchase
from an unknown supplier without a credit code is refused naming the field, an Excel import
lists every bad row and saves nothing, the chain page's local supporting rate equals a hand
computation by node and for the chain, missing nodes are listed as targets, the subsidy enters
the policy's ledger at 3 % the first year ¥300,000 is reached, and every page and endpoint is
scoped by the shared contracts."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lianqi.core.roles import Role
from lianqi.core.workdays import SHANGHAI
from lianqi.enterprises.models import Enterprise, YearFigure
from lianqi.policies import actions as policy_actions
from lianqi.policies.choices import FulfilmentState, PolicyKind, PolicyLevel
from lianqi.policies.models import Fulfilment, Policy
from lianqi.testing.contracts import (
    ApiListContract,
    ApiObjectContract,
    ListExportContract,
    ListPageContract,
    ObjectPageContract,
)
from lianqi.testing.world import World, credit_code, make_enterprise, make_user

from .. import actions, queries
from ..choices import ChainRole, SupplierPlace
from ..models import Chain, ChainNode, MatchingFair, Purchase
from ..permissions import STAFF
from .factories import enterprise_in, make_need

AT = dt.datetime(2025, 6, 30, 10, 0, tzinfo=SHANGHAI)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def office(world: World) -> Any:
    return world.user(Role.SERVICE_OFFICE)


def buy(
    world: World, buyer: Enterprise, supplier: Enterprise, amount: str, year: int = 2024, **extra: Any
) -> Purchase:
    return actions.record_purchase(
        buyer=buyer, actor=office(world), year=year, amount=amount, supplier=supplier, at=AT, **extra
    )


# --- Purchases --------------------------------------------------------------------------------


def test_a_supplier_in_the_park_or_the_city_is_local(world: World) -> None:
    buyer = world.home.enterprise
    park = buy(world, buyer, enterprise_in(world, "园区配套厂"), "100.00")
    city = buy(world, buyer, enterprise_in(world, "市内配套厂", "city"), "100.00")
    far = buy(world, buyer, enterprise_in(world, "深圳供应商", "elsewhere"), "100.00")
    assert (park.place, park.is_local) == (SupplierPlace.PARK, True)
    assert (city.place, city.is_local) == (SupplierPlace.CITY, True)
    assert (far.place, far.is_local) == (SupplierPlace.ELSEWHERE, False)


def test_yearly_cells_add_up_as_purchases_are_recorded_and_rebuild_the_same(world: World) -> None:
    from ..actions.purchases import rebuild_purchase_totals
    from ..models import PurchaseTotal

    buyer = world.home.enterprise
    local = enterprise_in(world, "园区配套厂")
    buy(world, buyer, local, "100.10", strategic=True)
    buy(world, buyer, local, "50.00", strategic=True, affiliated=True)
    buy(world, buyer, enterprise_in(world, "深圳供应商", "elsewhere"), "200.00", strategic=True)
    cell = PurchaseTotal.objects.get(buyer=buyer, year=2024)
    assert (cell.total, cell.local, cell.qualifying) == (
        Decimal("350.10"),
        Decimal("150.10"),
        Decimal("100.10"),
    )
    PurchaseTotal.objects.update(total=0)
    assert rebuild_purchase_totals() == 1
    assert PurchaseTotal.objects.get(buyer=buyer, year=2024).total == Decimal("350.10")


def test_an_unknown_supplier_is_placed_by_its_credit_code(world: World) -> None:
    unknown_local = actions.record_purchase(
        buyer=world.home.enterprise,
        actor=office(world),
        year=2024,
        amount="5000",
        supplier_name="湘潭某未入库企业",
        supplier_credit_code=credit_code("430302"),
        at=AT,
    )
    assert unknown_local.supplier is None
    assert unknown_local.place == SupplierPlace.CITY and unknown_local.is_local


def test_an_unknown_supplier_without_a_credit_code_is_refused_naming_the_field(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        actions.record_purchase(
            buyer=world.home.enterprise,
            actor=office(world),
            year=2024,
            amount="5000",
            supplier_name="不存在的供应商",
            at=AT,
        )
    assert "统一社会信用代码" in error.value.message_dict["supplier_credit_code"][0]
    assert not Purchase.objects.exists()


def test_bad_fields_are_all_named(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        actions.record_purchase(
            buyer=world.home.enterprise,
            actor=office(world),
            year=1999,
            amount="12.345",
            supplier_name="某公司",
            supplier_credit_code="123",
            at=AT,
        )
    assert set(error.value.message_dict) == {"year", "amount", "supplier_credit_code"}


def test_another_parks_office_may_not_record(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        actions.record_purchase(
            buyer=world.home.enterprise,
            actor=world.other_user(Role.SERVICE_OFFICE),
            year=2024,
            amount="10",
            supplier=world.other.enterprise,
            at=AT,
        )
    assert "buyer" in error.value.message_dict


def workbook(rows: list[list[Any]]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append([c.title for c in actions.IMPORT_COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "purchases.xlsx"  # type: ignore[attr-defined]
    return buffer


def test_an_import_with_bad_rows_lists_every_one_and_saves_nothing(world: World) -> None:
    buyer = world.home.enterprise
    supplier = enterprise_in(world, "园区配套厂")
    good = [buyer.credit_code, 2024, supplier.name, "", "电缆", 1000, "是", "否"]
    rows = [
        good,
        [buyer.credit_code, 2024, "不存在的供应商", "", "铜材", 500, "否", "否"],  # row 3
        ["911111111111111111", 2024, supplier.name, "", "", 100, "", ""],  # row 4
        [buyer.credit_code, 2024, supplier.name, "", "", -5, "也许", ""],  # row 5
    ]
    with pytest.raises(actions.ImportRefused) as refused:
        actions.import_purchases(source=workbook(rows), actor=office(world), at=AT)
    problems = {(p.row, p.column) for p in refused.value.problems}
    assert problems == {
        (3, "供应商统一社会信用代码"),
        (4, "采购企业统一社会信用代码"),
        (5, "采购金额（元）"),
        (5, "战略性新兴产业产品"),
    }
    assert not Purchase.objects.exists()
    assert actions.import_purchases(source=workbook([good, good]), actor=office(world), at=AT) == 2
    assert Purchase.objects.filter(buyer=buyer, is_local=True, strategic=True).count() == 2


def test_the_import_page_shows_the_bad_rows(world: World) -> None:
    response = client_for(office(world)).post(
        reverse("market:purchase_import"),
        {"file": workbook([[world.home.enterprise.credit_code, 2024, "无名供应商", "", "", 10, "", ""]])},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="problems"' in page and "供应商不在企业库中" in page
    assert not Purchase.objects.exists()


# --- Chains -----------------------------------------------------------------------------------


def city_chain(world: World) -> tuple[Chain, dict[str, ChainNode], dict[str, Enterprise]]:
    city_office = make_user("city_office", Role.SERVICE_OFFICE, world.city)
    chain = actions.create_chain(
        actor=city_office,
        jurisdiction=world.city,
        name="新能源和汽车",
        home_park=world.home.park,
        leader_name="张三",
        leader_title="副市长",
        committee_name="湘潭市新能源和汽车产业链党委",
    )
    nodes: dict[str, ChainNode] = {}
    nodes["整车"] = actions.add_node(chain=chain, actor=city_office, name="整车")
    nodes["电驱动"] = actions.add_node(chain=chain, actor=city_office, name="电驱动", parent=nodes["整车"])
    nodes["电池"] = actions.add_node(chain=chain, actor=city_office, name="电池", parent=nodes["整车"])
    nodes["正负极材料"] = actions.add_node(
        chain=chain, actor=city_office, name="正负极材料", parent=nodes["电池"]
    )
    nodes["隔膜"] = actions.add_node(chain=chain, actor=city_office, name="隔膜", parent=nodes["电池"])
    firms = {
        "maker": world.home.enterprise,
        "motor": enterprise_in(world, "湘潭电驱动有限公司"),
        "cell": make_enterprise(world.other.park, "经开区电芯有限公司"),
        "anode": make_enterprise(world.other.park, "经开区负极材料有限公司"),
        "park_supplier": enterprise_in(world, "园区钣金厂"),
        "city_supplier": make_enterprise(world.other.park, "经开区线束厂"),
        "far": enterprise_in(world, "深圳电子有限公司", "elsewhere"),
    }
    for node, firm, role in (
        ("整车", "maker", ChainRole.LEADER),
        ("电池", "maker", ChainRole.KEY),
        ("电驱动", "motor", ChainRole.KEY),
        ("电池", "cell", ChainRole.KEY),
        ("正负极材料", "anode", ChainRole.SUPPORTING),
    ):
        actions.place_firm(node=nodes[node], enterprise=firms[firm], role=role, actor=city_office)
    su = city_office
    for buyer, supplier, amount in (
        ("maker", "park_supplier", "400"),
        ("maker", "city_supplier", "200"),
        ("maker", "far", "400"),
        ("motor", "park_supplier", "100"),
        ("motor", "far", "300"),
        ("cell", "far", "500"),
    ):
        actions.record_purchase(
            buyer=firms[buyer], supplier=firms[supplier], actor=su, year=2024, amount=amount, at=AT
        )
    # Another year does not count in 2024's rate.
    actions.record_purchase(
        buyer=firms["cell"], supplier=firms["city_supplier"], actor=su, year=2023, amount="999", at=AT
    )
    return chain, nodes, firms


def test_the_rate_by_node_and_for_the_chain_equals_the_hand_computation(world: World) -> None:
    chain, _nodes, _firms = city_chain(world)
    found = queries.chain_map(chain, 2024)
    rates = {f.node.name: f.rate for f in found.figures.nodes}
    assert rates["整车"] == Decimal("0.6000")  # 600 / 1000
    assert rates["电驱动"] == Decimal("0.2500")  # 100 / 400
    assert rates["电池"] == Decimal("0.4000")  # maker and cell: 600 / 1500
    assert rates["正负极材料"] is None  # no purchases on record
    assert found.figures.rate == Decimal("0.3684")  # 700 / 1900, the maker once
    assert queries.chain_year(chain) == 2024


def test_missing_nodes_and_nodes_only_in_the_city(world: World) -> None:
    chain, _nodes, _firms = city_chain(world)
    found = queries.chain_map(chain, 2024)
    assert [n.node.name for n in found.figures.missing] == ["隔膜"]
    assert [n.node.name for n in found.figures.city_only] == ["正负极材料"]


def test_the_chain_page_shows_rate_definition_gaps_and_tree_data(world: World) -> None:
    chain, _nodes, firms = city_chain(world)
    YearFigure.objects.create(enterprise=firms["maker"], year=2024, output_value=Decimal("120"))
    YearFigure.objects.create(enterprise=firms["maker"], year=2023, output_value=Decimal("100"))
    page = client_for(world.user(Role.LEADER)).get(reverse("market:chain", args=[chain.pk]) + "?year=2024")
    html = page.content.decode()
    assert page.status_code == 200
    assert "36.84%" in html and "60.00%" in html and "40.00%" in html
    assert "本地配套率 = " in html
    assert 'id="chain-tree-data"' in html and "data-chain-tree" in html
    assert "<script>" not in html.replace('<script type="application/json"', "")  # no inline script
    assert "20.00%" in html  # output growth 120 on 100
    missing = html.split('data-testid="missing"')[1].split("</ul>")[0]
    assert "隔膜" in missing and "正负极材料" not in missing
    # Each node names its firms in the park and elsewhere in the city, with their roles.
    battery = html.split('data-node="电池"')[1].split("</tr>")[0]
    assert firms["maker"].name in battery and "经开区电芯有限公司" in battery and "重点企业" in battery


def sheet_rows(response: Any) -> list[tuple[Any, ...]]:
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def test_the_chain_exports_its_nodes_with_their_firms_and_local_rate(world: World) -> None:
    chain, _nodes, firms = city_chain(world)
    client = client_for(world.user(Role.LEADER))
    url = reverse("market:chain_export", args=[chain.pk])
    assert url in client.get(reverse("market:chain", args=[chain.pk]) + "?year=2024").content.decode()
    rows = sheet_rows(client.get(url, {"year": "2024"}))
    assert rows[0] == ("环节", "状态", "本地配套率（%）", "企业", "链上角色", "所在地")
    battery = [r for r in rows if str(r[0]).strip("　") == "电池"]
    assert {(r[3], r[4], r[5]) for r in battery} == {
        (firms["maker"].name, "重点企业", "园区企业"),
        ("经开区电芯有限公司", "重点企业", "市内其他企业"),
    }
    assert {str(r[2]) for r in battery} == {"40"}
    assert [r[1:] for r in rows if str(r[0]).strip("　") == "隔膜"] == [("缺链", None, None, None, None)]


def test_the_purchases_export_as_filtered(world: World) -> None:
    supplier = enterprise_in(world, "园区钣金厂")
    buy(world, world.home.enterprise, supplier, "400.50", item="钣金件")
    buy(world, world.home.enterprise, supplier, "99", year=2023)
    client = client_for(office(world))
    assert reverse("market:purchases_export") in client.get(reverse("market:purchases")).content.decode()
    rows = sheet_rows(client.get(reverse("market:purchases_export"), {"year": "2024"}))
    assert len(rows) == 2
    assert rows[1][:3] == (world.home.enterprise.name, 2024, "园区钣金厂")
    assert (rows[1][5], rows[1][6], str(rows[1][7])) == ("是", "钣金件", "400.5")
    other = sheet_rows(
        client_for(world.other_user(Role.SERVICE_OFFICE)).get(reverse("market:purchases_export"))
    )
    assert len(other) == 1


def test_a_parks_chain_is_kept_by_its_office_only(world: World) -> None:
    chain = actions.create_chain(actor=office(world), jurisdiction=world.home.park, name="线缆")
    node = actions.add_node(chain=chain, actor=office(world), name="导体")
    with pytest.raises(ValidationError):
        actions.add_node(chain=chain, actor=world.other_user(Role.SERVICE_OFFICE), name="绝缘")
    with pytest.raises(ValidationError):
        actions.place_firm(
            node=node, enterprise=world.other.enterprise, role=ChainRole.KEY, actor=office(world)
        )
    response = client_for(office(world)).post(
        reverse("market:chain_edit", args=[chain.pk, "firm"]),
        {"firm-node": node.pk, "firm-enterprise": "没有这家企业", "firm-role": ChainRole.KEY},
    )
    assert response.status_code == 400 and "没有找到这家企业" in response.content.decode()
    client_for(office(world)).post(
        reverse("market:chain_edit", args=[chain.pk, "firm"]),
        {
            "firm-node": node.pk,
            "firm-enterprise": world.home.enterprise.credit_code,
            "firm-role": ChainRole.KEY,
        },
    )
    assert chain.firms.filter(enterprise=world.home.enterprise, role=ChainRole.KEY).exists()


def test_a_chain_fair_invites_buyers_with_open_needs_and_lists_targets(world: World) -> None:
    chain = actions.create_chain(actor=office(world), jurisdiction=world.home.park, name="线缆")
    node = actions.add_node(chain=chain, actor=office(world), name="导体")
    actions.add_node(chain=chain, actor=office(world), name="绝缘料")
    supplier = enterprise_in(world, "园区铜杆厂")
    actions.place_firm(
        node=node, enterprise=world.home.enterprise, role=ChainRole.LEADER, actor=office(world)
    )
    actions.place_firm(node=node, enterprise=supplier, role=ChainRole.SUPPORTING, actor=office(world))
    make_need(world.home)
    fair = actions.fair_from_chain(chain=chain, actor=office(world), held_on=dt.date(2025, 7, 1))
    roles = dict(fair.participants.values_list("enterprise_id", "role"))
    assert roles == {world.home.enterprise.pk: "buyer", supplier.pk: "supplier"}
    page = client_for(office(world)).get(fair.get_absolute_url()).content.decode()
    assert "绝缘料" in page  # the missing node, a target to bring in
    assert MatchingFair.objects.get().chain == chain


# --- The subsidy ------------------------------------------------------------------------------


def subsidy_policy(world: World) -> Policy:
    policy = Policy.objects.create(
        jurisdiction=world.home.park,
        code="SS-BDCG",
        title="本地战略性产业产品首次采购补贴",
        level=PolicyLevel.PARK,
        kind=PolicyKind.AWARD,
        department=world.home.department,
    )
    rule = {
        "version": 1,
        "rules": [
            {
                "code": "SS-BDCG",
                "name": "本地战略性产业产品首次采购补贴",
                "eligibility": {
                    "all": [{"attribute": "local_purchase", "year": "Y", "op": ">=", "value": 30}]
                },
                "benefit": {
                    "type": "percentage",
                    "attribute": "local_purchase",
                    "year": "Y",
                    "rate": 3,
                    "cap": 100,
                    "unit": "万元",
                },
                "tests": [],
            }
        ],
    }
    draft = policy_actions.save_policy_draft(
        policy=policy, actor=office(world), rule=rule, valid_from=dt.date(2024, 1, 1)
    )
    policy_actions.publish_policy_version(version=draft, actor=office(world), at=AT)
    return policy


def test_the_subsidy_is_three_percent_the_first_year_the_threshold_is_reached(world: World) -> None:
    policy = subsidy_policy(world)
    first, already, small = (
        world.home.enterprise,
        enterprise_in(world, "早已达标企业"),
        enterprise_in(world, "采购不足企业"),
    )
    local = enterprise_in(world, "园区战新供应商")
    buy(world, first, local, "250000.00", year=2024, strategic=True)
    buy(world, first, local, "150000.00", year=2024, strategic=True)  # 400,000 in 2024
    buy(world, first, local, "900000.00", year=2024, strategic=False)  # not strategic
    buy(world, first, local, "900000.00", year=2024, strategic=True, affiliated=True)  # affiliated
    buy(
        world,
        first,
        enterprise_in(world, "外省战新供应商", "elsewhere"),
        "900000.00",
        year=2024,
        strategic=True,
    )
    buy(world, already, local, "300000.00", year=2023, strategic=True)
    buy(world, already, local, "500000.00", year=2024, strategic=True)
    buy(world, small, local, "299999.99", year=2024, strategic=True)
    run = actions.grant_local_purchase_subsidy(policy=policy, year=2024, actor=office(world), at=AT)
    assert [(d.enterprise, d.amount) for d in run.due] == [(first.pk, Decimal("12000.00"))]
    entry = Fulfilment.objects.get(policy=policy)
    assert entry.enterprise == first
    assert entry.promised_amount == Decimal("12000.00")
    assert entry.state == FulfilmentState.MATCHED and entry.period == 2025
    assert entry.events.get(action="match").amount == Decimal("12000.00")
    # Running it again (or for a later year) pays nobody twice.
    buy(world, first, local, "800000.00", year=2025, strategic=True)
    again = actions.grant_local_purchase_subsidy(policy=policy, year=2024, actor=office(world), at=AT)
    assert again.entered == [] and Fulfilment.objects.count() == 1
    assert (
        actions.grant_local_purchase_subsidy(policy=policy, year=2025, actor=office(world), at=AT).due == []
    )


def test_a_corrected_purchase_revises_the_subsidy_in_the_ledger_or_withdraws_it(world: World) -> None:
    policy = subsidy_policy(world)
    local = enterprise_in(world, "园区战新供应商")
    first = buy(world, world.home.enterprise, local, "250000.00", year=2024, strategic=True)
    second = buy(world, world.home.enterprise, local, "150000.00", year=2024, strategic=True)
    actions.grant_local_purchase_subsidy(policy=policy, year=2024, actor=office(world), at=AT)
    entry = Fulfilment.objects.get(policy=policy)
    assert entry.promised_amount == Decimal("12000.00")
    # The office corrects an invoice: the entry takes 3 % of the corrected ¥350,000.01.
    actions.update_purchase(
        purchase=first,
        actor=office(world),
        expected_version=first.version,
        year=2024,
        amount="200000.01",
        supplier=local,
        strategic=True,
        at=AT,
    )
    entry.refresh_from_db()
    assert (entry.promised_amount, entry.state) == (Decimal("10500.00"), FulfilmentState.MATCHED)
    revised = entry.events.get(action="revise")
    assert (
        revised.amount == Decimal("10500.00")
        and "采购记录更正" in revised.note
        and "12,000.00" in revised.note
    )
    page = Client()
    page.force_login(office(world))
    assert "10,500.00" in page.get(reverse("policies:fulfilment", args=[entry.pk])).content.decode()
    # Another correction takes the year below the ¥300,000 bar: the entry is withdrawn, saying why.
    actions.update_purchase(
        purchase=second,
        actor=office(world),
        expected_version=second.version,
        year=2024,
        amount="50000.00",
        supplier=local,
        strategic=True,
        at=AT,
    )
    entry.refresh_from_db()
    assert entry.state == FulfilmentState.REJECTED and "不再达到补贴条件" in entry.reject_reason
    assert entry.events.filter(action="revoke").count() == 1


def test_the_enterprises_own_correction_is_put_before_the_office(world: World) -> None:
    from lianqi.notifications.models import Notification

    policy = subsidy_policy(world)
    local = enterprise_in(world, "园区战新供应商")
    row = buy(world, world.home.enterprise, local, "400000.00", year=2024, strategic=True)
    actions.grant_local_purchase_subsidy(policy=policy, year=2024, actor=office(world), at=AT)
    actions.update_purchase(
        purchase=row,
        actor=world.user(Role.ENTERPRISE),
        expected_version=row.version,
        year=2024,
        amount="350000.00",
        supplier=local,
        strategic=True,
        at=AT,
    )
    entry = Fulfilment.objects.get(policy=policy)
    assert entry.promised_amount == Decimal("12000.00")  # the ledger is the office's to change
    note = Notification.objects.get(recipient=office(world), subject__startswith="本地采购补贴待修订")
    assert "10,500.00" in note.body


def test_another_parks_office_may_not_grant_the_subsidy(world: World) -> None:
    policy = subsidy_policy(world)
    with pytest.raises(ValidationError):
        actions.grant_local_purchase_subsidy(
            policy=policy, year=2024, actor=world.other_user(Role.SERVICE_OFFICE), at=AT
        )


def test_the_subsidy_page_lists_who_is_owed(world: World) -> None:
    policy = subsidy_policy(world)
    buy(
        world,
        world.home.enterprise,
        enterprise_in(world, "园区战新供应商"),
        "300000",
        year=2024,
        strategic=True,
    )
    page = client_for(office(world)).get(reverse("market:subsidy"), {"policy": policy.pk, "year": 2024})
    html = page.content.decode()
    assert world.home.enterprise.name in html and "9,000.00" in html


# --- Brochure ---------------------------------------------------------------------------------


def brochure_park(world: World) -> None:
    """A park whose brochure lists one firm: its product, a contact with a title, a name and a
    personal phone (the last two never printed), placed on a chain's node."""
    from lianqi.enterprises.models import Contact

    from .factories import make_offer

    Contact.objects.create(
        enterprise=world.home.enterprise, name="李四", title="销售经理", phone="13912345678", is_primary=True
    )
    make_offer(world.home.enterprise, "铜芯电力电缆")
    chain = actions.create_chain(actor=office(world), jurisdiction=world.home.park, name="线缆")
    node = actions.add_node(chain=chain, actor=office(world), name="电力电缆")
    actions.place_firm(
        node=node, enterprise=world.home.enterprise, role=ChainRole.LEADER, actor=office(world)
    )


def test_the_public_brochure_shows_products_and_never_a_phone(world: World) -> None:
    brochure_park(world)
    page = Client().get(reverse("market:brochure", args=[world.home.park.code]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "铜芯电力电缆" in html and "销售经理" in html and world.home.enterprise.name in html
    assert "13912345678" not in html and "李四" not in html
    assert world.other.enterprise.name not in html
    document = Client().get(reverse("market:brochure_document", args=[world.home.park.code]))
    assert document.status_code == 200
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(document.content)).paragraphs)
    assert "目录" in text and "线缆" in text and "电力电缆" in text
    assert "TOC \\o" in document.content.decode("latin-1") or b"word/document.xml" in document.content


def test_the_brochure_prints_as_a_pdf_with_contents_and_public_contacts_only(world: World) -> None:
    from lianqi.core.pdf import pdf_text

    brochure_park(world)
    page = Client().get(reverse("market:brochure", args=[world.home.park.code])).content.decode()
    assert reverse("market:brochure_pdf", args=[world.home.park.code]) in page
    response = Client().get(reverse("market:brochure_pdf", args=[world.home.park.code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    title = f"{world.home.park.name}企业产品宣传手册"
    assert text.index(title) < text.index("目录") < text.rindex("线缆")
    assert "电力电缆" in text and "铜芯电力电缆" in text and "销售经理" in text
    assert world.home.enterprise.name in text
    assert "13912345678" not in text and "李四" not in text
    assert world.other.enterprise.name not in text


# --- Scoping (the shared contracts) ------------------------------------------------------------


def home_chain(world: World) -> Chain:
    chain = Chain.objects.filter(jurisdiction=world.home.park).first()
    if chain is None:
        chain = actions.create_chain(actor=office(world), jurisdiction=world.home.park, name="线缆")
        node = actions.add_node(chain=chain, actor=office(world), name="导体")
        actions.place_firm(
            node=node, enterprise=world.home.enterprise, role=ChainRole.LEADER, actor=office(world)
        )
    return chain


def home_purchase(world: World) -> Purchase:
    return Purchase.objects.filter(buyer=world.home.enterprise).first() or buy(
        world, world.home.enterprise, enterprise_in(world, "园区配套厂"), "1000"
    )


class TestChainListContract(ListPageContract):
    allowed_roles = STAFF
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        home_chain(world)
        return reverse("market:chains")

    def marker(self, world: World) -> str:
        return f'href="{reverse("market:chain", args=[home_chain(world).pk])}"'


class TestChainPageContract(ObjectPageContract):
    allowed_roles = STAFF
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("market:chain", args=[home_chain(world).pk])


class TestChainEditContract(ObjectPageContract):
    method = "post"
    allowed_roles = (Role.SERVICE_OFFICE,)
    denied_role = Role.LIAISON
    ok_statuses = (302,)

    def url(self, world: World) -> str:
        return reverse("market:chain_edit", args=[home_chain(world).pk, "member"])

    def data(self, world: World) -> dict[str, Any]:
        return {"member-name": "王五", "member-post": "委员"}


class TestPurchaseListContract(ListPageContract):
    allowed_roles = (Role.SERVICE_OFFICE, Role.LEADER, Role.LIAISON, Role.ENTERPRISE)
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        home_purchase(world)
        return reverse("market:purchases")

    def marker(self, world: World) -> str:
        return "园区配套厂"


class TestPurchaseExportContract(ListExportContract):
    allowed_roles = (Role.SERVICE_OFFICE, Role.LEADER, Role.LIAISON, Role.ENTERPRISE)
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        home_purchase(world)
        return reverse("market:purchases_export")

    def marker(self, world: World) -> str:
        return "园区配套厂"


class TestChainExportContract(ObjectPageContract):
    allowed_roles = STAFF
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("market:chain_export", args=[home_chain(world).pk])


class TestPurchaseEditContract(ObjectPageContract):
    allowed_roles = (Role.SERVICE_OFFICE, Role.ENTERPRISE)
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        return reverse("market:purchase_edit", args=[home_purchase(world).pk])


class TestPurchaseCreateContract(ObjectPageContract):
    allowed_roles = (Role.SERVICE_OFFICE, Role.ENTERPRISE)
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        return reverse("market:purchase_create", args=[world.home.enterprise.pk])


class TestPurchaseApiListContract(ApiListContract):
    allowed_roles = (Role.SERVICE_OFFICE, Role.LEADER, Role.ENTERPRISE)
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        home_purchase(world)
        return "/api/v1/market/purchases/"

    def marker(self, world: World) -> str:
        return "园区配套厂"


class TestChainApiContract(ApiObjectContract):
    allowed_roles = STAFF
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return f"/api/v1/market/chains/{home_chain(world).pk}/"


def test_a_citys_chain_is_seen_by_its_parks_but_not_another_citys(world: World) -> None:
    chain, _nodes, _firms = city_chain(world)
    assert client_for(world.user(Role.LEADER)).get(chain.get_absolute_url()).status_code == 200
    park_chain = home_chain(world)
    assert client_for(world.other_user(Role.LEADER)).get(park_chain.get_absolute_url()).status_code == 404


def test_the_api_records_a_purchase_and_names_the_missing_credit_code(world: World) -> None:
    client = client_for(office(world))
    url = "/api/v1/market/purchases/"
    bad = {"buyer": world.home.enterprise.pk, "year": 2024, "supplier_name": "无名供应商", "amount": "10.00"}
    response = client.post(url, bad, content_type="application/json")
    assert response.status_code == 400
    assert "supplier_credit_code" in response.content.decode()
    good = {**bad, "supplier_credit_code": credit_code("430302")}
    response = client.post(url, good, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["is_local"] is True and response.json()["amount"] == "10.00"
    other = client_for(world.other_user(Role.SERVICE_OFFICE)).post(url, good, content_type="application/json")
    assert other.status_code == 404
    listed = client.get(url, {"year": 2024}).json()
    assert [row["supplier_name"] for row in listed["results"]] == ["无名供应商"]
    assert client.get(url, {"year": 2023}).json()["results"] == []


def test_the_chain_api_answers_the_rates_by_node(world: World) -> None:
    chain, _nodes, _firms = city_chain(world)
    data = client_for(world.user(Role.LEADER)).get(f"/api/v1/market/chains/{chain.pk}/?year=2024").json()
    assert data["local_rate"] == "0.3684" and data["missing_nodes"] == ["隔膜"]
    by_name = {n["name"]: n for n in data["nodes"]}
    assert by_name["电池"]["local_rate"] == "0.4000" and by_name["电池"]["total_purchases"] == "1500.00"
    assert by_name["正负极材料"]["coverage"] == "city"


def test_correcting_a_purchase_moves_the_chain_rate_and_the_subsidy_due(world: World) -> None:
    chain, _nodes, firms = city_chain(world)
    maker_far = Purchase.objects.get(buyer=firms["maker"], supplier=firms["far"])
    client = client_for(office(world))
    listed = client.get(reverse("market:purchases"), {"q": firms["maker"].name}).content.decode()
    assert reverse("market:purchase_edit", args=[maker_far.pk]) in listed
    form = client.get(reverse("market:purchase_edit", args=[maker_far.pk])).content.decode()
    assert "深圳电子有限公司" in form
    data = {
        "year": "2024",
        "supplier_name": "园区钣金厂",
        "amount": "400",
        "strategic": "on",
        "expected_version": "1",
    }
    response = client.post(reverse("market:purchase_edit", args=[maker_far.pk]), data)
    assert response.status_code == 302
    maker_far.refresh_from_db()
    assert (maker_far.supplier, maker_far.is_local, maker_far.version) == (firms["park_supplier"], True, 2)
    found = queries.chain_map(chain, 2024)
    rates = {f.node.name: f.rate for f in found.figures.nodes}
    assert rates["整车"] == Decimal("1.0000")  # 1000 / 1000, the far supplier corrected to the park's
    assert found.figures.rate == Decimal("0.5789")  # 1100 / 1900
    # Now local and strategic: it counts toward the subsidy a grant would enter from here on.
    from ..actions.subsidy import qualifying_purchases

    assert qualifying_purchases(world.city.path, 2024)[firms["maker"].pk] == {2024: Decimal("400.00")}
    # The yearly cells are what a rebuild from the purchases gives.
    from ..actions.purchases import rebuild_purchase_totals
    from ..models import PurchaseTotal

    cells = sorted(PurchaseTotal.objects.values_list("buyer_id", "year", "total", "local", "qualifying"))
    rebuild_purchase_totals()
    assert (
        sorted(PurchaseTotal.objects.values_list("buyer_id", "year", "total", "local", "qualifying")) == cells
    )
    stale = client.post(reverse("market:purchase_edit", args=[maker_far.pk]), {**data, "amount": "1"})
    assert "请刷新后重试" in stale.content.decode()
    bad = client.post(
        reverse("market:purchase_edit", args=[maker_far.pk]),
        {**data, "amount": "1.001", "expected_version": "2"},
    )
    assert 'data-error-for="amount"' in bad.content.decode()
    maker_far.refresh_from_db()
    assert maker_far.amount == Decimal("400.00")
