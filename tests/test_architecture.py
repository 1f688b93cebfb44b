"""The one-way dependency rule: core <- processing <- plugin <- classFactory."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imports_of(path: Path) -> list[tuple[str, int]]:
    """Every module a file imports: (absolute name or '.'-prefixed relative, level)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level == 0:
                found.append((base, 0))
            else:
                found += [(f"{base}.{alias.name}" if base else alias.name, node.level) for alias in node.names]
    return found


def resolve(path: Path, name: str, level: int, root: Path = ROOT) -> str:
    """Package-relative target of an import ('core.x', 'plugin.y', or absolute)."""
    if level == 0:
        return name
    rel = path.relative_to(root).parent.parts
    base = rel[: len(rel) - (level - 1)] if level > 1 else rel
    return ".".join((*base, name)) if base else name


def py_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def violations(folder: str, forbidden_abs: tuple[str, ...], forbidden_pkg: tuple[str, ...],
               root: Path = ROOT) -> list[str]:
    bad = []
    for path in sorted((root / folder).rglob("*.py")):
        for name, level in imports_of(path):
            target = resolve(path, name, level, root)
            if level == 0 and any(target == f or target.startswith(f + ".") for f in forbidden_abs):
                bad.append(f"{path.relative_to(root)} imports {target}")
            if level > 0 and any(target == p or target.startswith(p + ".") for p in forbidden_pkg):
                bad.append(f"{path.relative_to(root)} imports {target}")
            if level == 0 and target.split(".")[0] in {"core", "plugin", "pipemap"}:
                bad.append(f"{path.relative_to(root)} uses an absolute import of the plugin: {target}")
    return bad


def test_core_imports_neither_qgis_nor_qt_nor_upper_layers():
    assert py_files("core"), "core/ has no modules"
    bad = violations("core", ("qgis", "PyQt5", "PyQt6", "sip", "processing"), ("processing", "plugin"))
    assert bad == []


def test_processing_never_imports_gui():
    assert py_files("processing")
    bad = violations(
        "processing",
        ("qgis.gui", "qgis.PyQt.QtWidgets", "PyQt5", "qgis.utils", "processing.gui"),
        ("plugin",),
    )
    assert bad == []


def test_checker_catches_a_violation(tmp_path):
    """The rule is not vacuous: a forbidden import is detected."""
    (tmp_path / "core" / "sub").mkdir(parents=True)
    (tmp_path / "core" / "sub" / "probe.py").write_text(
        "import qgis.core\nfrom ...plugin import main\nfrom .. import codes\n", encoding="utf-8")
    bad = violations("core", ("qgis",), ("plugin",), root=tmp_path)
    assert len(bad) == 2, bad


def test_entry_point_is_lazy():
    """__init__.py holds classFactory only and imports nothing at module level."""
    tree = ast.parse((ROOT / "__init__.py").read_text(encoding="utf-8"))
    top = [n for n in tree.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    assert [type(n).__name__ for n in top] == ["FunctionDef"]
    assert top[0].name == "classFactory"


def test_importing_package_and_core_does_not_import_qgis(tmp_path):
    link_dir = tmp_path / "imp"
    link_dir.mkdir()
    (link_dir / "pipemap").symlink_to(ROOT)
    code = (
        f"import sys; sys.path.insert(0, {str(link_dir)!r})\n"
        "import pipemap, pipemap.core.mapfile, pipemap.core.codes, pipemap.core.schema\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('qgis', 'PyQt5'))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    proc = subprocess.run([sys.executable, "-P", "-c", code], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("folder", ["core", "processing", "plugin"])
def test_relative_imports_only(folder):
    """Inside the package only relative imports reach our own modules."""
    for path in py_files(folder):
        for name, level in imports_of(path):
            if level == 0:
                assert name.split(".")[0] not in {"core", "plugin", "pipemap"}, f"{path}: {name}"
