"""The import rules a newcomer can rely on, checked on every first-party module:

- `projects` and `investors` import neither each other nor `matchmaker` (but its leaf
  `vocabulary`); they announce changes with signals;
- the numeric engine imports no Django and nothing first-party outside itself;
- only the adapter modules import the engine;
- nothing outside the template layer imports template tags;
- there is no import cycle, counting imports inside functions too;
- the models package imports no views, services, selectors or API code;
- every public function of a services module takes keyword arguments only (writes are
  named `<noun>_<verb>(*, …, by)`), and one that opens a transaction (a write) takes `by`,
  the person acting;
- views and API modules do not query the ORM themselves: they call a selector or a service;
- only a module named `ledger.py` creates `*LedgerEntry` rows (for the areas to come);
- only `matchmaker/audit.py` creates `AuditEvent` rows (it refuses to outside a transaction).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("matchmaker", "projects", "investors")
ENGINE = "matchmaker.engine"
# The ORM ↔ engine adapters, and the benchmark, which measures the engine on its own.
MAY_IMPORT_ENGINE = {
    "matchmaker.matching.encoding",
    "matchmaker.matching.scoring",
    "matchmaker.matching.stacks",
    "matchmaker.devtools.bench",
    "matchmaker.evaluation.deals",  # public deals → engine facts, for `make evaluate`
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def first_party_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    }


MODULES = first_party_modules()


def imports_of(module: str) -> set[str]:
    """Every module `module` imports, relative imports resolved; `from pkg import name`
    counts as importing ``pkg.name`` when that is a module, else ``pkg`` (a parent
    package a submodule import loads on the way is not counted, as for ``import a.b``)."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in MODULES else base)
    return {name for name in found if name in MODULES or name.split(".")[0] not in APPS}


IMPORTS = {module: imports_of(module) for module in MODULES}


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


@pytest.mark.parametrize(("app", "other"), [("projects", "investors"), ("investors", "projects")])
def test_side_apps_import_neither_each_other_nor_matchmaker(app, other):
    offending = [
        f"{module} imports {name}"
        for module, names in IMPORTS.items()
        if within(module, app)
        for name in names
        if within(name, other)
        or (within(name, "matchmaker") and not within(name, "matchmaker.vocabulary"))
    ]
    assert offending == []


def test_the_numeric_engine_imports_no_django_and_nothing_outside_itself():
    offending = [
        f"{module} imports {name}"
        for module, names in IMPORTS.items()
        if within(module, ENGINE)
        for name in names
        if within(name, "django") or (name.split(".")[0] in APPS and not within(name, ENGINE))
    ]
    assert offending == []


def test_only_the_adapter_modules_import_the_engine():
    offending = [
        f"{module} imports {name}"
        for module, names in IMPORTS.items()
        if not within(module, ENGINE) and module not in MAY_IMPORT_ENGINE
        for name in names
        if within(name, ENGINE)
    ]
    assert offending == []


def test_domain_code_does_not_import_template_tags():
    offending = [
        f"{module} imports {name}"
        for module, names in IMPORTS.items()
        if ".templatetags" not in module
        for name in names
        if ".templatetags" in name
    ]
    assert offending == []


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path, or None (iterative depth-first search)."""
    state: dict[str, int] = {}  # 1 on the current path, 2 finished
    for start in sorted(graph):
        if state.get(start):
            continue
        path, stack = [start], [iter(sorted(graph[start]))]
        state[start] = 1
        while stack:
            successor = next(stack[-1], None)
            if successor is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(successor) == 1:
                return [*path[path.index(successor) :], successor]
            elif not state.get(successor):
                state[successor] = 1
                path.append(successor)
                stack.append(iter(sorted(graph.get(successor, ()))))
    return None


def test_there_are_no_import_cycles():
    graph = {
        module: {name for name in names if name in MODULES} for module, names in IMPORTS.items()
    }
    assert find_cycle(graph) is None


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_rules_see_relative_imports():
    """A rule that missed ``from .. import x`` would pass on a broken layout."""
    assert "matchmaker.signals" in IMPORTS["matchmaker.apps"]
    assert "matchmaker.engine.facts" in IMPORTS["matchmaker.engine.packages"]


# Modules of writes that are not called `services.py`: the review's families of writes.
SERVICE_MODULES = {
    "matchmaker.review.access",
    "matchmaker.review.introductions",
    "matchmaker.review.saved_views",
}


def is_service_module(module: str) -> bool:
    return module.rpartition(".")[2] == "services" or module in SERVICE_MODULES


def is_view_module(module: str) -> bool:
    """Web views (`views.py`, `*_views.py`) and the API's resource modules."""
    last = module.rpartition(".")[2]
    api_helpers = {"exceptions", "pagination", "parsers", "permissions", "schema", "serializers"}
    if module in SERVICE_MODULES:
        return False
    if within(module, "matchmaker.api"):
        return module != "matchmaker.api" and last not in api_helpers | {"urls"}
    return last == "views" or last.endswith("_views")


def tree_of(module: str) -> ast.Module:
    return ast.parse(MODULES[module].read_text())


def test_the_models_package_imports_no_views_services_selectors_or_api():
    offending = [
        f"{module} imports {name}"
        for module, names in IMPORTS.items()
        if within(module, "matchmaker.models")
        for name in names
        if name in MODULES
        and (
            is_service_module(name)
            or is_view_module(name)
            or name.rpartition(".")[2] == "selectors"
            or within(name, "matchmaker.api")
        )
    ]
    assert offending == []


def positional_services(module: str) -> list[str]:
    """Public top-level functions of `module` that accept a positional argument."""
    return [
        f"{module}.{node.name}"
        for node in tree_of(module).body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and not node.name.startswith("_")
        and (node.args.posonlyargs or node.args.args or node.args.vararg)
    ]


def test_service_functions_take_keyword_arguments_only():
    offending = [
        name
        for module in MODULES
        if is_service_module(module)
        for name in positional_services(module)
    ]
    assert offending == []


def test_the_service_modules_exist():
    """A rule over modules that moved away would pass on nothing."""
    assert set(MODULES) >= SERVICE_MODULES
    assert {"projects.services", "investors.services", "matchmaker.review.services"} <= {
        module for module in MODULES if is_service_module(module)
    }


def orm_queries(module: str) -> list[str]:
    """Uses of a model manager (``X.objects…``) other than ``X.objects.none()``, the empty
    queryset a viewset declares for the schema."""
    tree = tree_of(module)
    allowed = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr == "none"
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "objects"
    }
    return [
        f"{module}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "objects" and id(node) not in allowed
    ]


def test_views_and_api_modules_query_through_selectors_and_services():
    views = [module for module in MODULES if is_view_module(module)]
    assert {"matchmaker.review.firm_views", "matchmaker.api.matches", "projects.views"} <= set(
        views
    )
    assert [place for module in views for place in orm_queries(module)] == []


def row_creations(tree: ast.Module, is_model) -> list[int]:
    """Lines that create a row of a model whose name `is_model` accepts: ``Model(…)``, or
    ``create``, ``bulk_create``, ``get_or_create``, ``update_or_create`` on its manager."""

    def model_name(node) -> bool:
        name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", "")
        return is_model(name)

    creators = {"create", "bulk_create", "get_or_create", "update_or_create"}
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if model_name(func) or (
            isinstance(func, ast.Attribute)
            and func.attr in creators
            and isinstance(func.value, ast.Attribute)
            and func.value.attr == "objects"
            and model_name(func.value.value)
        ):
            lines.append(node.lineno)
    return lines


def ledger_writes(tree: ast.Module) -> list[int]:
    return row_creations(tree, lambda name: name.endswith("LedgerEntry"))


def test_only_ledger_modules_create_ledger_entries():
    offending = [
        f"{module}:{line}"
        for module in MODULES
        if module.rpartition(".")[2] != "ledger"
        for line in ledger_writes(tree_of(module))
    ]
    assert offending == []


def test_the_ledger_rule_sees_each_way_of_creating_an_entry():
    source = """
GrantLedgerEntry.objects.create(amount=1)
models.GrantLedgerEntry.objects.bulk_create([])
GrantLedgerEntry(amount=1).save()
GrantLedgerEntry.objects.filter(pk=1)
Grant.objects.create()
"""
    assert ledger_writes(ast.parse(source)) == [2, 3, 4]


def audit_writes(tree: ast.Module) -> list[int]:
    return row_creations(tree, lambda name: name == "AuditEvent")


def test_only_the_audit_module_creates_audit_rows():
    """`audit_record` refuses to write outside a transaction, so a row cannot outlive a
    failed change; a row created elsewhere would skip that check."""
    assert "matchmaker.audit" in MODULES
    offending = [
        f"{module}:{line}"
        for module in MODULES
        if module != "matchmaker.audit"
        for line in audit_writes(tree_of(module))
    ]
    assert offending == []
    assert audit_writes(tree_of("matchmaker.audit")) != []


# Writes whose actor does not exist before the write: signing up creates the person.
WRITES_WITHOUT_AN_ACTOR = {"matchmaker.accounts.services.member_register"}


def opens_transaction(function: ast.FunctionDef) -> bool:
    """Decorated with ``transaction.atomic`` or running a ``with transaction.atomic():``."""
    contexts = [
        item.context_expr
        for node in ast.walk(function)
        if isinstance(node, ast.With | ast.AsyncWith)
        for item in node.items
    ]
    return any(
        ast.unparse(expression).split("(")[0].endswith("atomic")
        for expression in [*function.decorator_list, *contexts]
    )


def writes_without_by(module: str, tree: ast.Module) -> list[str]:
    return [
        f"{module}.{node.name}"
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and not node.name.startswith("_")
        and opens_transaction(node)
        and "by" not in {arg.arg for arg in node.args.kwonlyargs}
    ]


def test_service_writes_name_who_acts():
    offending = [
        name
        for module in MODULES
        if is_service_module(module)
        for name in writes_without_by(module, tree_of(module))
    ]
    assert sorted(offending) == sorted(WRITES_WITHOUT_AN_ACTOR)


def test_the_actor_rule_sees_both_ways_of_opening_a_transaction():
    source = """
@transaction.atomic
def thing_create(*, name): ...

def thing_delete(*, thing):
    with transaction.atomic():
        thing.delete()

@transaction.atomic
def thing_update(*, thing, by): ...

def thing_count(*, things): ...
"""
    assert writes_without_by("m", ast.parse(source)) == ["m.thing_create", "m.thing_delete"]
