"""The packages' import direction, read from every module's imports (ast), and their size.

- `verifier.core` is pure: it imports nothing from the layers above it and no aiohttp,
  asyncio or database code;
- `verifier.api` and `verifier.web` never import each other (what both need is in
  `verifier.actions`, `verifier.schemas` or `verifier.http`);
- `registry` never imports `verifier`;
- no folder holds more than about 15 modules, no module more than about 450 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS_ABOVE_CORE = ("verifier.state", "verifier.limits", "verifier.actions", "verifier.http", "verifier.api",
                     "verifier.web", "verifier.ops", "verifier.schemas", "verifier.client")
IMPURE = ("aiohttp", "asyncio", "aiosqlite", "asyncpg", "sqlite3", "registry.store", "registry.db",
          "registry.sqlite_db", "registry.postgres_db", "socket", "subprocess")
MAX_MODULES = 16  # "about 15"
MAX_LINES = 470  # "about 450"


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package.replace(".", "/")).rglob("*.py"))


def name_of(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module `path` imports, at any depth (also inside functions and TYPE_CHECKING)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


@pytest.mark.parametrize("path", modules("verifier.core"), ids=name_of)
def test_the_core_imports_nothing_above_it_and_does_no_io(path: Path) -> None:
    bad = sorted(name for name in imports_of(path) if _within(name, LAYERS_ABOVE_CORE + IMPURE))
    assert not bad, f"{name_of(path)} imports {bad}"


@pytest.mark.parametrize(("front", "other"), [("verifier.api", "verifier.web"), ("verifier.web", "verifier.api")])
def test_the_api_and_the_pages_never_import_each_other(front: str, other: str) -> None:
    bad = {name_of(path): sorted(n for n in imports_of(path) if _within(n, (other,))) for path in modules(front)}
    assert not {k: v for k, v in bad.items() if v}


@pytest.mark.parametrize("package", ["verifier.core", "verifier.state", "verifier.limits", "verifier.actions",
                                     "verifier.schemas"])
def test_lower_layers_never_import_the_front_ends(package: str) -> None:
    bad = {name_of(path): sorted(n for n in imports_of(path) if _within(n, ("verifier.api", "verifier.web")))
           for path in modules(package)}
    assert not {k: v for k, v in bad.items() if v}


def test_the_registry_never_imports_the_service() -> None:
    bad = {name_of(path): sorted(n for n in imports_of(path) if _within(n, ("verifier",))) for path in modules("registry")}
    assert not {k: v for k, v in bad.items() if v}


def test_the_check_sees_imports_inside_functions(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from verifier.web import render\n    import aiohttp\n", encoding="utf-8")
    assert {"verifier.web", "verifier.web.render", "aiohttp"} <= imports_of(module)


@pytest.mark.parametrize("folder", sorted({p.parent for p in modules("verifier") + modules("registry")
                                            + list((ROOT / "tests").rglob("*.py"))}), ids=str)
def test_no_folder_holds_more_than_about_fifteen_modules(folder: Path) -> None:
    count = len([p for p in folder.glob("*.py") if p.name != "__init__.py"])
    assert count <= MAX_MODULES, f"{folder.relative_to(ROOT)} holds {count} modules"


@pytest.mark.parametrize("path", modules("verifier") + modules("registry") + sorted((ROOT / "tests").rglob("*.py"))
                         + sorted((ROOT / "tools").rglob("*.py")) + sorted((ROOT / "bench").rglob("*.py")),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_longer_than_about_450_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines"
