"""The calendars package is plain Python: the app uses it, it never needs Django."""

import subprocess
import sys


def test_importing_calendars_loads_no_django() -> None:
    code = (
        "import sys\n"
        "import secondround.calendars.busy, secondround.calendars.invitations\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(loaded); sys.exit(1 if loaded else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
