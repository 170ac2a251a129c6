"""`yibao check`: the summary table, the exit status, and the audit helpers of yibao.checks."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from tests.issue4_build import built_warehouse
from yibao import cli_checks
from yibao.checks import snippet_states_value


@pytest.mark.parametrize(("value", "snippet", "expected"), [
    (610.11, "全年收入总计610.11万元", True),
    (0.06101, "全年收入总计610.1元", True),
    (6101000.0, "全年收入总计610.1元", False),       # ×10,000 against its own snippet
    (17060.0, "基金总收入1.706亿元", True),
    (1234.56, "支出１,２34.56万元", True),
    (603.98, "基本支出 603.98", True),
    (60398.0, "基本支出 603.98", False),
])
def test_snippet_states_value(value, snippet, expected):
    assert snippet_states_value(value, snippet) is expected


def test_check_prints_summary_and_exits_zero_on_warnings_only():
    db_path, status, lines = built_warehouse()
    assert status == 0, "\n".join(lines)
    group = click.Group("yibao")
    cli_checks.register(group)
    result = CliRunner().invoke(group, ["check", "--db", str(db_path), "--no-docs"])
    assert result.exit_code == 0, result.output
    assert "rule" in result.output and "severity" in result.output and "findings" in result.output
    assert "TOT-02" in result.output and "warning" in result.output
    assert "(0 critical)" in result.output


def test_check_without_warehouse_fails(tmp_path):
    group = click.Group("yibao")
    cli_checks.register(group)
    result = CliRunner().invoke(group, ["check", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code != 0
