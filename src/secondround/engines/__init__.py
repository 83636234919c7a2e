"""Pure engines: numpy/scipy only, never Django (the engines-pure contract in .importlinter enforces it)."""
