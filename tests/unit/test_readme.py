"""The README's promises that code can check."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _last_line(path: Path) -> str:
    return [line for line in path.read_text().splitlines() if line.strip()][-1]


def test_ci_runs_exactly_the_readme_test_command():
    command = _last_line(ROOT / ".ci" / "run")
    assert command.endswith("python -m pytest")
    assert f"```bash\n{command}\n```" in (ROOT / "README.md").read_text()


def test_readme_quotes_the_rollup_rule_the_code_applies():
    from domain.rag import ROLLUP_RULE_TEXT

    quoted = " ".join(
        line.removeprefix("> ").strip()
        for line in (ROOT / "README.md").read_text().splitlines()
        if line.startswith("> ")
    )
    assert ROLLUP_RULE_TEXT in quoted


def test_readme_names_the_advisory_lock_key_the_code_takes():
    from data_access.bootstrap import PREPARATION_LOCK_KEY

    assert f"pg_advisory_lock({PREPARATION_LOCK_KEY})" in (ROOT / "README.md").read_text()
