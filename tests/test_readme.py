"""The README keeps its promises: the two commands first, and a Python example that runs."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_starts_with_the_two_commands():
    first_block = re.search(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S).group(1)
    assert first_block.split("\n")[:2] == ["make run", "make test"]


def test_python_example_runs(capsys):
    (example,) = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    exec(compile(example, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "milk-alkali syndrome" in out
    assert out.count("\n") > 3


def test_documented_commands_exist():
    from calcinosis_kg.cli import build_parser

    commands = set(build_parser()._subparsers._group_actions[0].choices)
    documented = set(re.findall(r"^\| `([a-z]+)[ `]", README.read_text(encoding="utf-8"), re.M))
    assert documented == commands
