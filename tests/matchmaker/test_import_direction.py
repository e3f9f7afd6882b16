"""`projects` and `investors` never import each other or `matchmaker` (but its vocabulary)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(app: str):
    for path in (ROOT / app).rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield path, node.module
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    yield path, alias.name


@pytest.mark.parametrize(
    ("app", "forbidden"), [("projects", "investors"), ("investors", "projects")]
)
def test_side_apps_import_neither_each_other_nor_matchmaker(app, forbidden):
    offending = [
        f"{path.relative_to(ROOT)}: {module}"
        for path, module in imported_modules(app)
        if module.split(".")[0] == forbidden
        or (module.split(".")[0] == "matchmaker" and module != "matchmaker.vocabulary")
    ]
    assert offending == []


def test_the_numeric_engine_imports_no_django():
    engine = ROOT / "matchmaker" / "engine"
    modules = (
        [module for path, module in imported_modules("matchmaker/engine")]
        if engine.exists()
        else []
    )
    assert not [module for module in modules if module.startswith("django")]
