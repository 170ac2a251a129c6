"""Every command has help text and is documented in the README (STYLE 30)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from yibao.cli import cli

from .conftest import ROOT

COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help(name):
    assert cli.commands[name].help, name
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_in_readme(name):
    assert f"yibao {name}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_its_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = text.split("```")[1]
    assert "make build" in first_block and "make test" in first_block
