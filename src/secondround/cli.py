"""The `secondround` command line: serve the app, load the demo, create users, compare ratings."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from secondround.commands import compare as compare_command
from secondround.commands.practice import practice_app

app = typer.Typer(
    help="secondround: second-round interviews that decide well.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rendering it with rich costs more than all the rest
)
app.command("compare")(compare_command.compare)
app.add_typer(practice_app, name="practice")


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secondround.settings")
    import django
    from django.apps import apps

    if not apps.ready:  # already set up when called from tests or another command
        django.setup()


def _prepare_database(*, load_demo: bool) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    _load_demo_if_asked(load_demo)


def _load_demo_if_asked(load_demo: bool) -> None:
    """The demo (with a published password) goes only into an empty database, only on request."""
    from secondround import demo

    if not demo.is_empty():
        return
    if load_demo:
        typer.echo("Empty database: loading the demo organisation…")
        demo.load()
    else:
        typer.echo(
            "Empty database. Create the first admin with:\n"
            "  secondround createuser --role admin --email you@example.com --name 'Your Name'\n"
            "or try the demo organisation with `secondround serve --demo`."
        )


def _print_logins() -> None:
    """Demo accounts share a password anyone can read in the docs: say so loudly."""
    from secondround import demo
    from secondround.accounts.models import User

    logins = [row for row in demo.demo_logins() if User.objects.filter(email=row[0]).exists()]
    if logins:
        typer.secho(
            "WARNING: this database holds the demo accounts below, all with the published "
            f"password {logins[0][2]!r}. Do not expose it to a network you do not trust.",
            fg=typer.colors.YELLOW,
            bold=True,
        )
        for email, role, _password in logins:
            typer.echo(f"  {email:<28} {role}")


def _base_url_for_mail(host: str, port: int) -> str:
    """SECONDROUND_BASE_URL, defaulting to the address served on: mail the worker sends has no
    request to take the host from. Behind a proxy, set it to where candidates reach the site."""
    if not os.environ.get("SECONDROUND_BASE_URL"):
        name = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::", "::1", "") else host
        name = f"[{name}]" if ":" in name else name
        os.environ["SECONDROUND_BASE_URL"] = f"http://{name}:{port}"
    return os.environ["SECONDROUND_BASE_URL"].rstrip("/")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Web worker processes.")] = 2,
    demo: Annotated[
        bool,
        typer.Option(
            help="Load the demo organisation (logins with a published password) into an "
            "empty database."
        ),
    ] = False,
    task_worker: Annotated[
        bool, typer.Option(help="Run the background task worker beside the web server.")
    ] = True,
) -> None:
    """Migrate, load the demo if asked (--demo) into an empty database, and serve with gunicorn."""
    base_url = _base_url_for_mail(host, port)  # before settings are read, and for the children
    _setup_django()
    _prepare_database(load_demo=demo)
    _print_logins()
    from django.conf import settings

    typer.echo(f"Data folder: {settings.DATA_DIR}")
    typer.echo(f"secondround is at http://{host}:{port}/  (Ctrl+C stops it)")
    typer.echo(f"Links in mail sent in the background point to {base_url}/ (SECONDROUND_BASE_URL)")
    from secondround.supervisor import Supervisor, serve_children

    web = [
        sys.executable,
        "-m",
        "gunicorn",
        "secondround.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        "4",
        # Longer than gunicorn's 2 s: a browser or proxy reusing a connection idle for 2-10 s
        # otherwise races the server closing it, and a POST sent on it fails.
        "--keep-alive",
        "10",
        "--access-logfile",
        "-",
    ]
    supervisor = Supervisor(serve_children(web_command=web, task_worker=task_worker))
    supervisor.install_signal_handlers()
    code = supervisor.run()
    raise typer.Exit(code)


@app.command()
def remind(
    every: Annotated[int, typer.Option(help="Seconds between rounds; 0 runs once and exits.")] = 0,
) -> None:
    """Queue the scorecard and overdue-decision reminders, and once a day the retention rule."""
    _setup_django()
    import time
    from datetime import date

    from secondround.bookings.tasks import expire_loop_offers, remind_candidates_of_tomorrow
    from secondround.messaging.tasks import remind_overdue_decisions
    from secondround.privacy.tasks import apply_retention_rule
    from secondround.scorecards.tasks import remind_interviewers

    retention_done_on: date | None = None
    while True:
        remind_interviewers.enqueue()
        expire_loop_offers.enqueue()
        remind_candidates_of_tomorrow.enqueue()  # once per loop, by itself
        remind_overdue_decisions.enqueue()  # at most once a day per application, by itself
        if retention_done_on != date.today():
            apply_retention_rule.enqueue()
            retention_done_on = date.today()
        if every <= 0:
            return
        time.sleep(every)


@app.command()
def retention(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List, change nothing.")] = False,
) -> None:
    """Anonymise candidates past the organisation's retention period (hired people are kept)."""
    _setup_django()
    from django.utils import timezone

    from secondround.privacy.services import apply_retention, candidates_past_retention

    if dry_run:
        due = candidates_past_retention(now=timezone.now())
        typer.echo(f"{len(due)} candidates are past the retention period: {due}")
        return
    erased = apply_retention()
    typer.echo(f"Anonymised {len(erased)} candidates.")


@app.command()
def worker(
    interval: Annotated[float, typer.Option(help="Seconds between polls of an empty queue.")] = 1,
    batch: Annotated[bool, typer.Option(help="Run what is queued, then exit.")] = False,
) -> None:
    """Run the background task worker (heartbeat, retry of tasks whose worker died, backups)."""
    _setup_django()
    from django.core.management import call_command

    call_command("run_worker", interval=interval, batch=batch)


@app.command()
def backup(
    keep: Annotated[
        int | None, typer.Option(help="Backups to keep (default SECONDROUND_BACKUP_KEEP).")
    ] = None,
) -> None:
    """Back the database up into the data folder (SQLite online backup, or pg_dump)."""
    _setup_django()
    from secondround.ops.backup import BackupError, create_backup

    if keep is not None and keep < 1:
        typer.echo("--keep: keep at least one backup.", err=True)
        raise typer.Exit(2)
    try:
        path = create_backup(keep=keep)
    except BackupError as error:
        typer.echo(f"Backup failed: {error}", err=True)
        raise typer.Exit(1) from error
    typer.echo(f"Backed up to {path}")


@app.command()
def restore(
    file: Annotated[str, typer.Argument(help="A backup made by `secondround backup`.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Replace the database's content with a backup. Stop the server and workers first."""
    _setup_django()
    from pathlib import Path

    from django.core.management import call_command

    from secondround.ops.backup import BackupError, restore_backup

    if not yes:
        typer.confirm(f"Replace everything in the database with {file}?", abort=True)
    try:
        restore_backup(Path(file))
    except BackupError as error:
        typer.echo(f"Restore failed: {error}", err=True)
        raise typer.Exit(1) from error
    call_command("migrate", interactive=False, verbosity=0)  # a backup from an older version
    typer.echo(f"Restored {file}.")


@app.command("demo")
def demo_command(
    reset: Annotated[bool, typer.Option("--reset", help="Erase everything first.")] = False,
) -> None:
    """Load the demo organisation (into an empty database, or after --reset)."""
    _setup_django()
    from django.core.management import call_command

    from secondround import demo

    call_command("migrate", interactive=False, verbosity=0)
    if reset:
        demo.reset()
    if not demo.is_empty():
        typer.echo("The database already has people in it; use --reset to replace it.", err=True)
        raise typer.Exit(2)
    demo.load()
    _print_logins()


@app.command()
def createuser(
    email: Annotated[str, typer.Option(help="Login email.")],
    name: Annotated[str, typer.Option(help="Full name.")],
    role: Annotated[
        str, typer.Option(help="admin, recruiter, hiring_manager or interviewer.")
    ] = "interviewer",
    department: Annotated[str, typer.Option(help="Department name.")] = "",
    password: Annotated[
        str, typer.Option(help="Asked for (hidden, twice) when left out.", show_default=False)
    ] = "",
) -> None:
    """Create a user who logs in with their email."""
    _setup_django()
    from django.core.exceptions import ValidationError

    from secondround.accounts.services import check_new_user, create_user

    def refuse(error: ValidationError) -> typer.Exit:
        for field, messages in error.message_dict.items():
            typer.echo(f"{field}: {' '.join(messages)}", err=True)
        return typer.Exit(2)

    # Every other argument first: a typo in the role must not cost a password typed twice.
    try:
        check_new_user(email=email, full_name=name, role=role, department=department)
    except ValidationError as error:
        raise refuse(error) from error
    if not password:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(
            email=email, full_name=name, password=password, role=role, department=department
        )
    except ValidationError as error:
        raise refuse(error) from error
    typer.echo(f"Created {user.email} ({user.get_role_display()}).")


@app.command("schedule")
def schedule_command(
    position: Annotated[int, typer.Option(help="Position id.")],
    as_user: Annotated[
        str,
        typer.Option(
            "--as",
            help="Email of the hiring-team member scheduling (required: it is recorded as "
            "theirs and runs with their access).",
        ),
    ],
    week: Annotated[
        str, typer.Option(help="A day of the week to schedule (YYYY-MM-DD); default next week.")
    ] = "",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan, book nothing.")
    ] = False,
) -> None:
    """Schedule a position's unbooked finalists for a week and print the plan as a table."""
    _setup_django()
    from secondround.commands.schedule import run

    run(position, week, dry_run, as_user)


@app.command("import-first-round")
def import_first_round_command(
    file: Annotated[str, typer.Argument(help="CSV or JSON file of round-one ratings.")],
    as_user: Annotated[
        str,
        typer.Option(
            "--as",
            help="Email of the hiring-team member importing (required: it is recorded "
            "as theirs and runs with their access).",
        ),
    ],
    position: Annotated[
        int | None, typer.Option(help="Position id, when the file has no position column.")
    ] = None,
) -> None:
    """Import round-one ratings, all or nothing; every problem is listed by line and column."""
    _setup_django()
    from pathlib import Path

    from django.core.exceptions import PermissionDenied

    from secondround.accounts.models import User
    from secondround.hiring.models import Position
    from secondround.scorecards.importer import ImportRejected, read_upload
    from secondround.scorecards.services import import_first_round

    path = Path(file)
    if not path.is_file():
        typer.echo(
            f"{file}: {'a folder, not a file' if path.is_dir() else 'no such file'}", err=True
        )
        raise typer.Exit(2)
    # Always the person named: never a stand-in (it was the first superuser without --as).
    actor = User.objects.filter(email=as_user.strip().lower(), is_active=True).first()
    if actor is None:
        typer.echo(
            f"--as {as_user}: no such active user; give a hiring-team member's email.", err=True
        )
        raise typer.Exit(2)
    target = Position.objects.filter(pk=position).first() if position is not None else None
    if position is not None and target is None:
        typer.echo(f"--position {position}: no such position", err=True)
        raise typer.Exit(2)
    try:
        with path.open("rb") as opened:
            content = read_upload(opened)
        result = import_first_round(
            actor=actor, filename=path.name, content=content, position=target
        )
    except PermissionDenied as denied:
        typer.echo(f"{actor.email} is not on the position's hiring team.", err=True)
        raise typer.Exit(2) from denied
    except ImportRejected as rejected:
        typer.echo(f"{file}: not imported, nothing was stored:", err=True)
        for problem in rejected.problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(2) from rejected
    typer.echo(
        f"Imported {result.total} ratings from {result.scorecards} scorecards: "
        f"{result.created} new, {result.updated} changed, {result.unchanged} unchanged."
    )


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def manage(ctx: typer.Context) -> None:
    """Run a Django management command, e.g. `secondround manage migrate`."""
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["secondround manage", *ctx.args])


def main() -> None:
    app()
