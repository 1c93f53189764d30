"""The columns of the enterprise spreadsheet. Export writes them and import reads them, so a
file exported from Lianqi can be edited and imported back unchanged."""

from __future__ import annotations

from lianqi.core.excel import Column

ENTERPRISE_COLUMNS: tuple[Column, ...] = (
    Column("credit_code", "统一社会信用代码", required=True, aliases=("信用代码", "Credit code")),
    Column("name", "企业名称", required=True, aliases=("名称", "Name")),
    Column("kind", "主体类型", required=True, aliases=("类型", "Kind")),
    Column("industry", "行业代码", required=True, aliases=("国民经济行业代码", "Industry")),
    Column("jurisdiction", "辖区代码", aliases=("Jurisdiction",)),
    Column("legal_representative", "法定代表人", aliases=("Legal representative",)),
    Column("address", "地址", aliases=("注册地址", "Address")),
    Column("founded_on", "成立日期", aliases=("Founded",)),
    Column("registered_capital", "注册资本（万元）", aliases=("注册资本", "Registered capital")),
    Column("employees", "从业人数", aliases=("职工人数", "Employees")),
    Column("tags", "标签", aliases=("Tags",)),
    Column("status", "状态", aliases=("Status",)),
    Column("liaison_name", "联企干部", aliases=("Liaison",)),
    Column("liaison_phone", "联企干部手机号", aliases=("Liaison phone",)),
)
#: Tags are written joined by this separator and split on it (and on commas) when read.
TAG_SEPARATOR = "、"
