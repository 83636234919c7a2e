"""CLI commands that need no database live here; `secondround.cli` wires them up."""
