"""The named figures of the credit work (`lianqi.core.registry.Measure`), each with its
definition in words: dashboards and, later, assessments read them by key."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lianqi.core.registry import Measure

from . import queries

MEASURES = (
    Measure(
        key="credit.committed",
        label=_("签署信用承诺企业数"),
        definition=_("统计期内签署信用承诺书的企业家数，含下级辖区"),
        unit=_("家"),
        compute=queries.committed_count,
        url_name="credit:commitments",
    ),
    Measure(
        key="credit.honoured",
        label=_("诚信荣誉企业数"),
        definition=_("统计期所在年度获得诚信荣誉的企业家数，含下级辖区"),
        unit=_("家"),
        compute=queries.honoured_count,
        url_name="credit:honours",
    ),
    Measure(
        key="credit.repaired",
        label=_("完成信用修复企业数"),
        definition=_("统计期内完成信用修复（确认修复日期在期内）的企业家数，含下级辖区"),
        unit=_("家"),
        compute=queries.repaired_count,
        url_name="credit:repairs",
    ),
    Measure(
        key="credit.xindai",
        label=_("湘信贷注册企业数"),
        definition=_("截至统计期末在湘信贷平台注册的企业家数，含下级辖区"),
        unit=_("家"),
        compute=queries.xindai_count,
    ),
)
