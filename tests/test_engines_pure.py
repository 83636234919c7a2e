"""Engines are plain Python: no module under secondround/engines may import Django."""

import ast
import subprocess
import sys
from pathlib import Path

import secondround.engines

ENGINES = Path(secondround.engines.__file__).parent


def engine_modules() -> list[Path]:
    return sorted(ENGINES.glob("*.py"))


def test_no_engine_imports_django_directly() -> None:
    offenders = []
    for path in engine_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "django"]
    assert offenders == []


def test_importing_every_engine_loads_no_django() -> None:
    """Catches indirect imports too, in a fresh interpreter."""
    modules = [f"secondround.engines.{p.stem}" for p in engine_modules() if p.stem != "__init__"]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(loaded); sys.exit(1 if loaded else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
