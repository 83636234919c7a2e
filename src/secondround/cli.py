"""The `secondround` command line: serve the app, load the demo, create users, compare ratings."""

from __future__ import annotations

import os
import signal
import subprocess
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

    from secondround import demo

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if load_demo and demo.is_empty():
        typer.echo("Empty database: loading the demo organisation…")
        demo.load()


def _print_logins() -> None:
    from secondround import demo
    from secondround.accounts.models import User

    logins = [row for row in demo.demo_logins() if User.objects.filter(email=row[0]).exists()]
    if logins:
        typer.echo(f"Demo logins (password for all: {logins[0][2]}):")
        for email, role, _password in logins:
            typer.echo(f"  {email:<28} {role}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Web worker processes.")] = 2,
    demo: Annotated[bool, typer.Option(help="Load the demo when the database is empty.")] = True,
    task_worker: Annotated[
        bool, typer.Option(help="Run the background task worker beside the web server.")
    ] = True,
) -> None:
    """Migrate, load the demo if the database is empty, and serve the app with gunicorn."""
    _setup_django()
    _prepare_database(load_demo=demo)
    _print_logins()
    from django.conf import settings

    typer.echo(f"Data folder: {settings.DATA_DIR}")
    typer.echo(f"secondround is at http://{host}:{port}/  (Ctrl+C stops it)")
    children = []
    if task_worker:
        children.append(
            subprocess.Popen([sys.executable, "-m", "secondround", "manage", "db_worker"])
        )
    web = subprocess.Popen(
        [
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
            "--access-logfile",
            "-",
        ]
    )
    children.append(web)

    def stop(*_args: object) -> None:
        for child in children:
            child.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        code = web.wait()
    except KeyboardInterrupt:
        code = 0
    finally:
        stop()
        for child in children:
            child.wait(timeout=20)
    raise typer.Exit(code)


@app.command()
def remind(
    every: Annotated[int, typer.Option(help="Seconds between rounds; 0 runs once and exits.")] = 0,
) -> None:
    """Queue the scorecard reminders (interviewers who have not written up their interview)."""
    _setup_django()
    import time

    from secondround.scorecards.tasks import remind_interviewers

    while True:
        remind_interviewers.enqueue()
        if every <= 0:
            return
        time.sleep(every)


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
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)
    ] = "",
) -> None:
    """Create a user who logs in with their email."""
    _setup_django()
    from django.core.exceptions import ValidationError

    from secondround.accounts.services import create_user

    try:
        user = create_user(
            email=email, full_name=name, password=password, role=role, department=department
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            typer.echo(f"{field}: {' '.join(messages)}", err=True)
        raise typer.Exit(2) from error
    typer.echo(f"Created {user.email} ({user.get_role_display()}).")


@app.command("import-first-round")
def import_first_round_command(
    file: Annotated[str, typer.Argument(help="CSV or JSON file of round-one ratings.")],
    position: Annotated[
        int | None, typer.Option(help="Position id, when the file has no position column.")
    ] = None,
    as_user: Annotated[
        str, typer.Option("--as", help="Email of the hiring-team member importing.")
    ] = "",
) -> None:
    """Import round-one ratings, all or nothing; every problem is listed by line and column."""
    _setup_django()
    from pathlib import Path

    from django.core.exceptions import PermissionDenied

    from secondround.accounts.models import User
    from secondround.hiring.models import Position
    from secondround.loops.services import refresh_clarification_items
    from secondround.scorecards.importer import ImportRejected
    from secondround.scorecards.services import import_first_round

    path = Path(file)
    if not path.is_file():
        typer.echo(f"{file}: no such file", err=True)
        raise typer.Exit(2)
    actor = (
        User.objects.filter(email=as_user.lower()).first()
        if as_user
        else User.objects.filter(is_superuser=True, is_active=True).first()
    )
    if actor is None:
        typer.echo("No such user: pass --as with a hiring-team member's email.", err=True)
        raise typer.Exit(2)
    target = Position.objects.filter(pk=position).first() if position is not None else None
    if position is not None and target is None:
        typer.echo(f"--position {position}: no such position", err=True)
        raise typer.Exit(2)
    try:
        result = import_first_round(
            actor=actor, filename=path.name, content=path.read_bytes(), position=target
        )
    except PermissionDenied as denied:
        typer.echo(f"{actor.email} is not on the position's hiring team.", err=True)
        raise typer.Exit(2) from denied
    except ImportRejected as rejected:
        typer.echo(f"{file}: not imported, nothing was stored:", err=True)
        for problem in rejected.problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(2) from rejected
    for touched in Position.objects.filter(applications__scorecards__round=1).distinct():
        refresh_clarification_items(position=touched)
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
