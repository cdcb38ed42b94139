"""A department's report and its place's own report in one library: each name finds its own report."""
from __future__ import annotations

from rag.filters import ScopeDetector
from rag.types import CatalogEntry


def _entry(doc_id, region, aliases, level, parent):
    return CatalogEntry(doc_id, f"{doc_id}.txt", doc_id, region, tuple(aliases), level, parent, 2024, None, "simplified")


BUREAU = _entry("城东区市场监督管理局-2024", "青海省西宁市城东区市场监督管理局",
                ["城东区市场监督管理局", "城东区市场监管局", "城东区", "城东"], "department", "青海省西宁市城东区")
DISTRICT = _entry("城东区-2024", "青海省西宁市城东区", ["城东区", "城东"], "district", "青海省西宁市")


def test_a_place_with_a_report_of_its_own_is_that_report():
    scope = ScopeDetector([BUREAU, DISTRICT]).detect("城东区2024年受理行政复议申请多少件？")
    assert scope.doc_ids == ("城东区-2024",)


def test_a_department_is_found_by_its_short_name():
    scope = ScopeDetector([BUREAU, DISTRICT]).detect("城东区市场监管局2024年立案多少件？")
    assert scope.doc_ids == ("城东区市场监督管理局-2024",)


def test_a_place_without_its_own_report_finds_its_department():
    scope = ScopeDetector([BUREAU]).detect("城东区2024年立案多少件？")
    assert scope.doc_ids == ("城东区市场监督管理局-2024",)
