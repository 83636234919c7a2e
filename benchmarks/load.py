"""Benchmark: the app under a realistic load, measured from outside with locust (loopback only).

The mix (benchmarks/_locustfile.py), each simulated person about 0.3 requests a second:
interviewers reading their kit and autosaving drafts (40 %), hiring managers on the debrief and
round two (20 %), candidates on their private pages (30 %), API readers (10 %).
The server is gunicorn as `secondround serve` runs it (2 workers × 4 threads), on the demo
organisation with many drafts reopened so autosaves have something to save.
People arrive at --spawn-rate a second (default 5: 200 people over 40 s), and the statistics
are reset --settle seconds after the last one has started (logins and their queue are not counted).

    uv run python benchmarks/load.py                       # PostgreSQL at 200 users, SQLite at 50
    uv run python benchmarks/load.py --db sqlite --users 50 --seconds 30
    uv run python benchmarks/load.py --db postgres --profile 200   # CPU ms per request, per page

`--profile N` sends each page of the mix N times, one after another, as the same people would,
and prints the CPU milliseconds per request it cost the web server (gunicorn's processes) and
PostgreSQL (every backend), read from /proc before and after: CPU time, unlike wall time, is
not inflated by whatever else the shared machine runs.

Target (issue "Run it for real"): p95 under 300 ms and no errors at 200 users on PostgreSQL.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _forms import FormFields  # noqa: E402
from _postgres import _free_port, throwaway_postgres  # noqa: E402

PAGES = [
    "kit", "scorecard autosave", "debrief", "round two",
    "candidate private page", "api applications", "api debrief",
]  # fmt: skip


def prepare(plan_path: Path) -> None:
    """Run in a child process with the benchmark's environment: migrate, demo, targets."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "secondround.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from secondround import demo
    from secondround.accounts.models import User
    from secondround.accounts.services import create_api_token
    from secondround.hiring.models import Position
    from secondround.prep.models import InviteLink
    from secondround.prep.services import create_invite_link
    from secondround.scorecards.models import Scorecard, ScorecardStatus

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    demo.load()
    position = Position.objects.get(title="Senior software engineer")
    manager = position.hiring_manager
    round_two = Scorecard.objects.filter(
        round=2, application__position=position, session__isnull=False
    )
    # Reopen drafts, so interviewers' autosaves exercise the real write path.
    round_two.update(status=ScorecardStatus.DRAFT, submitted_at=None)
    interviewers = []
    for card in round_two.select_related("interviewer", "session").order_by("pk"):
        seat = card.session.seats.filter(interviewer=card.interviewer).first()
        if seat is None:
            continue
        interviewers.append(
            {
                "email": card.interviewer.email,
                "scorecard": f"/scorecards/{card.pk}/",
                "kit": f"/kits/{seat.pk}/{card.application_id}/",
            }
        )
    links = []
    for application in position.applications.filter(stage="second_round"):
        InviteLink.objects.filter(application=application).delete()
        token = f"prep_load-{application.pk}"
        create_invite_link(actor=manager, application=application, token=token)
        links.append(f"/prep/i/{token}/")
    keys = [create_api_token(user=manager, name=f"load {n}")[1] for n in range(5)]
    plan = {
        "password": demo.DEMO_PASSWORD,
        "interviewers": interviewers,
        "managers": [
            {
                "email": manager.email,
                "debrief": f"/positions/{position.pk}/debrief/",
                "round_two": f"/positions/{position.pk}/round-two/",
            }
        ],
        "candidate_links": links,
        "api_keys": keys,
        "api_applications": f"/api/v1/applications?position_id={position.pk}",
        "api_debrief": f"/api/v1/positions/{position.pk}/debrief",
    }
    plan_path.write_text(json.dumps(plan, indent=2))
    # Fit the calibration once, as the worker would have after the last submission.
    from secondround.debrief.calibration import refresh_snapshot

    refresh_snapshot()
    User.objects.filter(is_active=True).count()


@contextlib.contextmanager
def server(env: dict[str, str], port: int) -> Iterator[subprocess.Popen[bytes]]:
    command = [
        sys.executable, "-m", "gunicorn", "secondround.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4",
        "--keep-alive", "10",  # as `secondround serve` runs it
    ]  # fmt: skip
    command += os.environ.get("SECONDROUND_LOAD_GUNICORN_ARGS", "").split()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
                break
            time.sleep(0.3)
        else:
            raise SystemExit("the server did not start within 60 s")
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # still draining a queue of requests: the run is over
            process.kill()
            process.wait()


@contextlib.contextmanager
def prepared_server(database: str) -> Iterator[tuple[dict[str, str], Path, int, Server]]:
    """A prepared database (the demo and the plan) and gunicorn serving it on loopback."""
    with (
        tempfile.TemporaryDirectory(prefix="secondround-load-") as folder,
        _database(database) as url,
    ):
        env = {
            **os.environ,
            "SECONDROUND_DATA_DIR": folder,
            "SECONDROUND_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECONDROUND_LOG_LEVEL": "WARNING",
        }
        env.pop("DATABASE_URL", None)
        if url:
            env["DATABASE_URL"] = url
        plan = Path(folder) / "plan.json"
        subprocess.run([sys.executable, __file__, "--prepare", str(plan)], env=env, check=True)
        port = _free_port()
        with server(env, port) as process:
            yield env, plan, port, Server(process.pid, _postmaster(url))


def run(
    database: str, users: int, seconds: int, spawn_rate: float, settle: int
) -> list[dict[str, str]]:
    ramp = int(users / spawn_rate + 0.999)
    with prepared_server(database) as (env, plan, port, _server):
        prefix = plan.parent / "stats"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(HERE / "_locustfile.py"),
                "--headless",
                "--host",
                f"http://127.0.0.1:{port}",
                "-u",
                str(users),
                "-r",
                str(spawn_rate),
                "-t",
                f"{ramp + settle + seconds}s",
                "--reset-stats",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env={**env, "SECONDROUND_LOAD_PLAN": str(plan), "SECONDROUND_LOAD_SETTLE": str(settle)},
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,  # locust's own summary; the table below says it all
        )
        with open(f"{prefix}_failures.csv", newline="") as failures:
            for row in csv.DictReader(failures):  # what the errors were, before the folder goes
                print(f"errors: {row['Occurrences']} × {row['Name']}: {row['Error']}", flush=True)
        with open(f"{prefix}_stats.csv", newline="") as stats:
            return list(csv.DictReader(stats))


# --- --profile: CPU per request, per page ----------------------------------------------------


@dataclass(frozen=True)
class Server:
    """The processes whose CPU a request costs: gunicorn (master and workers), PostgreSQL."""

    gunicorn_pid: int
    postmaster_pid: int | None

    def cpu_seconds(self) -> tuple[float, float]:
        return _tree_cpu(self.gunicorn_pid), (
            _tree_cpu(self.postmaster_pid) if self.postmaster_pid else 0.0
        )


def _tree_cpu(pid: int) -> float:
    """User + system CPU seconds of a process and its living children (from /proc)."""
    total = 0.0
    root = psutil.Process(pid)
    for process in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = process.cpu_times()
            total += times.user + times.system
    return total


def _postmaster(url: str) -> int | None:
    """The PostgreSQL server listening on the URL's port (its backends are its children)."""
    if not url:
        return None
    port = str(urllib.parse.urlparse(url).port or 5432)
    for process in psutil.process_iter(["cmdline"]):
        cmdline = process.info["cmdline"] or []
        if cmdline and cmdline[0].endswith("/postgres") and port in cmdline:
            return int(process.pid)
    return None


def _session(base: str, email: str | None, password: str) -> requests.Session:
    session = requests.Session()
    if email:
        page = session.get(f"{base}/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        answer = session.post(
            f"{base}/accounts/login/",
            {
                "username": email,
                "password": password,
                "csrfmiddlewaretoken": token[1] if token else "",
            },
        )
        answer.raise_for_status()
    return session


def _page_requests(
    base: str, plan: dict[str, Any]
) -> dict[str, Callable[[int], requests.Response]]:
    """One callable per page of the mix, sending the request the locust users send."""
    interviewer, manager = plan["interviewers"][0], plan["managers"][0]
    person = _session(base, interviewer["email"], plan["password"])
    scorecard = person.get(f"{base}{interviewer['scorecard']}")
    fields = FormFields()
    fields.feed(scorecard.text)
    form = {**fields.fields, "action": "draft"}
    htmx = {"HX-Request": "true", "X-CSRFToken": form.get("csrfmiddlewaretoken", "")}
    boss = _session(base, manager["email"], plan["password"])
    candidate = _session(base, None, "")
    api = _session(base, None, "")
    api.headers["Authorization"] = f"Bearer {plan['api_keys'][0]}"

    def autosave(n: int) -> requests.Response:
        data = {k: (f"{v[:200]} note {n}" if k.endswith("notes") else v) for k, v in form.items()}
        return person.post(f"{base}{interviewer['scorecard']}", data, headers=htmx)

    return {
        "kit": lambda n: person.get(f"{base}{interviewer['kit']}"),
        "scorecard autosave": autosave,
        "debrief": lambda n: boss.get(f"{base}{manager['debrief']}"),
        "round two": lambda n: boss.get(f"{base}{manager['round_two']}"),
        "candidate private page": lambda n: candidate.get(f"{base}{plan['candidate_links'][0]}"),
        "api applications": lambda n: api.get(f"{base}{plan['api_applications']}"),
        "api debrief": lambda n: api.get(f"{base}{plan['api_debrief']}"),
    }


# The share of each page in the locust mix (requests per second of all users, as weighted there):
# interviewers 4 (kit 1, autosave 3), managers 2 (debrief 2, round two 1), candidates 3, API 1
# (applications 2, debrief 1); summed per page over the ten user weights.
MIX = {
    "kit": 4 / 4 / 10, "scorecard autosave": 4 * 3 / 4 / 10, "debrief": 2 * 2 / 3 / 10,
    "round two": 2 / 3 / 10, "candidate private page": 3 / 10,
    "api applications": 2 / 3 / 10, "api debrief": 1 / 3 / 10,
}  # fmt: skip


def profile(database: str, repeats: int) -> str:
    """CPU milliseconds per request of each page, in the web server and in PostgreSQL."""
    with prepared_server(database) as (_env, plan_path, port, srv):
        base = f"http://127.0.0.1:{port}"
        pages = _page_requests(base, json.loads(plan_path.read_text()))
        for (
            send
        ) in pages.values():  # warm both workers: templates, the cached fit, the PDF renderer
            for n in range(4):
                send(n).raise_for_status()
        time.sleep(2)
        lines = [
            f"\n{database}: CPU ms per request ({repeats} requests per page, one at a time)",
            "| page | share of mix | web CPU ms | database CPU ms | total CPU ms |",
            "|---|---:|---:|---:|---:|",
        ]
        mixed = [0.0, 0.0]
        for name, send in pages.items():
            web_before, db_before = srv.cpu_seconds()
            for n in range(repeats):
                send(n).raise_for_status()
            web_after, db_after = srv.cpu_seconds()
            web = (web_after - web_before) * 1000 / repeats
            db = (db_after - db_before) * 1000 / repeats
            mixed[0] += MIX[name] * web
            mixed[1] += MIX[name] * db
            lines.append(f"| {name} | {MIX[name]:.0%} | {web:.1f} | {db:.1f} | {web + db:.1f} |")
        lines.append(
            f"| **the mix, weighted** | 100% | {mixed[0]:.1f} | {mixed[1]:.1f} | {sum(mixed):.1f} |"
        )
        return "\n".join(lines)


@contextlib.contextmanager
def _database(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        yield ""
    elif os.environ.get("DATABASE_URL", "").startswith("postgres"):
        yield os.environ["DATABASE_URL"]
    else:
        with throwaway_postgres() as url:
            yield url


def table(database: str, users: int, rows: list[dict[str, str]]) -> str:
    lines = [
        f"\n{database}, {users} users",
        "| page | requests | errors | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    by_name = {row["Name"]: row for row in rows}
    for name in [*PAGES, "Aggregated"]:
        row = by_name.get(name)
        if row:
            lines.append(
                f"| {name} | {row['Request Count']} | {row['Failure Count']} | "
                f"{row['50%']} | {row['95%']} | {row['99%']} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["postgres", "sqlite", "both"], default="both")
    parser.add_argument("--users", type=int, help="simulated people (default 200 PG, 50 SQLite)")
    parser.add_argument("--seconds", type=int, default=60, help="measured seconds after settling")
    parser.add_argument("--spawn-rate", type=float, default=5, help="people starting a second")
    parser.add_argument(
        "--settle", type=int, default=20, help="seconds between the last start and measuring"
    )
    parser.add_argument(
        "--profile", type=int, metavar="N", help="CPU ms per request of each page, N requests each"
    )
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(args.prepare)
        return
    if args.profile:
        for database in ["postgres", "sqlite"] if args.db == "both" else [args.db]:
            print(profile(database, args.profile), flush=True)
        return
    runs = [("postgres", 200), ("sqlite", 50)] if args.db == "both" else [(args.db, 0)]
    for database, default_users in runs:
        users = args.users or default_users or (200 if database == "postgres" else 50)
        print(
            table(
                database, users, run(database, users, args.seconds, args.spawn_rate, args.settle)
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
