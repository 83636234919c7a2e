"""Pure engines: numpy/scipy only, never Django (tests/test_engines_pure.py enforces it)."""
