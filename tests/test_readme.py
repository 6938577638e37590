"""The README keeps its promises: the two commands first, and a Python example that runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from calcinosis_kg.cli import main

README = Path(__file__).resolve().parent.parent / "README.md"
KB_README = README.parent / "kb" / "README.md"


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


@pytest.mark.parametrize(
    ("readme", "names"),
    [(README, ["my-claims.tsv"]), (KB_README, ["my-entities.tsv", "my-claims.tsv"])],
    ids=["README.md", "kb/README.md"],
)
def test_adding_a_claim_example_validates(readme, names, tmp_path, capsys):
    section = readme.read_text(encoding="utf-8").split("## Adding a claim", 1)[1].split("\n## ", 1)[0]
    tables = re.findall(r"```tsv\n(.*?)```", section, re.S)
    assert len(tables) == len(names)
    args = ["validate"]
    for name, table in zip(names, tables, strict=True):
        (tmp_path / name).write_text(table, encoding="utf-8")
        args += ["--data", str(tmp_path / name)]
    assert main(args) == 0, capsys.readouterr().err
    command = re.search(r"```sh\n(calcinosis-kg validate .*?)\n```", section).group(1)
    assert command.split() == [
        "calcinosis-kg",
        *args[:1],
        *(a if a == "--data" else Path(a).name for a in args[1:]),
    ]
