"""The README's promises that code can check."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _last_line(path: Path) -> str:
    return [line for line in path.read_text().splitlines() if line.strip()][-1]


def test_ci_runs_exactly_the_readme_test_command():
    command = _last_line(ROOT / ".ci" / "run")
    assert command.endswith("python -m pytest")
    assert f"```bash\n{command}\n```" in (ROOT / "README.md").read_text()


def _quoted_rules() -> str:
    """The README's block quotes (the rules it quotes from the code), as one line of text."""
    return " ".join(
        line.removeprefix("> ").strip()
        for line in (ROOT / "README.md").read_text().splitlines()
        if line.startswith("> ")
    )


def test_readme_quotes_the_rollup_rule_the_code_applies():
    from domain.rag import ROLLUP_RULE_TEXT

    assert ROLLUP_RULE_TEXT in _quoted_rules()


def test_readme_workbook_table_names_every_sheet_and_column_of_the_contract():
    from data_access.workbook import SHEETS

    readme = (ROOT / "README.md").read_text()
    rows = {
        line.split("|")[1].strip(): line.split("|")[2]
        for line in readme.split("## The partnership workbook", 1)[1].split("\n## ", 1)[0].splitlines()
        if line.startswith("| ") and not line.startswith("| sheet")
    }
    assert list(rows) == [sheet.name for sheet in SHEETS]
    for sheet in SHEETS:
        named = [part.strip().split(" ")[0] for part in _top_level_parts(rows[sheet.name])]
        expected = [column.name + ("\\*" if column.required else "") for column in sheet.columns]
        assert named == expected, sheet.name


def _top_level_parts(cell: str) -> list[str]:
    """Split "a\\*, b (x, y), c" at the commas outside brackets."""
    parts, depth, current = [], 0, ""
    for character in cell:
        depth += {"(": 1, ")": -1}.get(character, 0)
        if character == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += character
    return [*parts, current]


def test_readme_names_the_advisory_lock_key_the_code_takes():
    from data_access.bootstrap import PREPARATION_LOCK_KEY

    assert f"pg_advisory_lock({PREPARATION_LOCK_KEY})" in (ROOT / "README.md").read_text()


def test_readme_quotes_the_freshness_rule_the_code_applies():
    from domain.freshness import FRESHNESS_RULE_TEXT, GRACE_DAYS

    assert FRESHNESS_RULE_TEXT in _quoted_rules()
    # The graces the rule names are those the code judges by (domain.freshness.due_by).
    for frequency, words in (
        ("month", "days for a month"),
        ("quarter", "for a quarter"),
        ("year", "for a year"),
    ):
        assert f"{GRACE_DAYS[frequency]} {words}" in FRESHNESS_RULE_TEXT
