"""The `aid` command's subcommands: run, worker, db, user, keys, demo, search.

Everything they change goes through the features' services, like the web views do. The app
factory adds them (`register_app_commands`); `aid.cli` holds only the click group and `main`,
so the factory and the command line do not import each other.
"""

from __future__ import annotations

import gc
import getpass
import re
import signal
import sys
import threading
import time

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate.cli import db as db_group
from werkzeug.serving import WSGIRequestHandler, make_server

from aid.auth import service as accounts
from aid.auth.models import Role
from aid.backup.cli import backup_group
from aid.demo import create_demo
from aid.extensions import db
from aid.privacy.cli import purge_command, wipe_command
from aid.security import rotation
from aid.security.keys import generate
from aid.security.passwords import MAX_LENGTH, MIN_LENGTH
from aid.security.words import backfill
from aid.tasks import huey, run_consumer, start_timers


def _read_password() -> str:
    """From a terminal without echo; from a pipe as one line, so scripts can set it."""
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != first:
            raise click.ClickException("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


# A path segment that looks like a secret token: long and made of URL-safe characters.
# Seconds `aid run` gives the worker to finish the task in hand when told to stop.
STOP_GRACE = 2.0
SECRET_SEGMENT = re.compile(r"/[A-Za-z0-9_-]{16,}(?=\.\w+$|/|$)")


class AddresslessRequestHandler(WSGIRequestHandler):
    """Logs method, path and status only: people at risk visit the public pages, and their
    addresses must not end up in a log file."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        path = self.path.split("?", 1)[0]  # query strings can carry reference codes
        path = SECRET_SEGMENT.sub("/…", path)  # private links (status, manage, calendar)
        self.log_message('"%s %s" %s', self.command, path, code)

    def log_message(self, format: str, *args: object) -> None:
        sys.stderr.write(f"[web] {format % args}\n")


@click.group("user", help="Manage accounts.")
def user_group() -> None:
    pass


@user_group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.VOLUNTEER.value)
@click.option("--name", default="", help="The name they go by (default: the email's first part).")
@with_appcontext
def user_create(email: str, role: str, name: str) -> None:
    """Create an account; the password is read from standard input."""
    password = _read_password()
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise click.ClickException(f"the password must be {MIN_LENGTH} to {MAX_LENGTH} characters")
    try:
        user = accounts.create_user(email, name or email.split("@")[0], role, password)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    uri = accounts.enrol_totp_now(user) if user.needs_totp else None
    db.session.commit()
    click.echo(f"Created {role} account {user.id}.")
    if uri:
        click.echo("Add this to an authenticator app (it is shown only now):")
        click.echo(uri)


@click.group("keys", help="Secrets for a production environment.")
def keys_group() -> None:
    pass


@keys_group.command("generate")
def keys_generate() -> None:
    """Print a fresh AID_SECRET_KEY, AID_DATA_KEYS and AID_INDEX_KEY as NAME=value lines."""
    for name, value in generate().items():
        click.echo(f"{name}={value}")


@keys_group.command("rotate")
@click.option("--old-index-key", envvar="AID_OLD_INDEX_KEY", default="",
              help="The previous AID_INDEX_KEY, if it changed (re-keys the STOP list).")
@with_appcontext
def keys_rotate(old_index_key: str) -> None:
    """Re-encrypt every value under the first AID_DATA_KEYS key and recompute every blind
    index with AID_INDEX_KEY. Safe to stop and run again."""
    with click.progressbar(length=rotation.count_rows(), label="Rotating") as bar:
        result = rotation.rotate(progress=bar.update, old_index_key=old_index_key or None)
    click.echo(f"Re-encrypted {result['values']} values, recomputed {result['indexes']} indexes.")
    if result["unmatched"]:
        click.echo(f"{result['unmatched']} STOP-list or inbound hashes matched no number Aid "
                   "still holds: they stay under the old index key.")
    click.echo("Every value is now under the first key: the old data key can be removed.")


@click.group("search", help="The search word indexes.")
def search_group() -> None:
    pass


@search_group.command("reindex")
@with_appcontext
def search_reindex() -> None:
    """Give search words to every record that has none (help requests and board posts
    written before words were indexed). Safe to run again: it then changes nothing. A
    worker also runs it once each time it starts."""
    for table, n in backfill().items():
        click.echo(f"{table}: {n} records indexed")


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Threads running jobs.")
@click.option("--processes", default=1, show_default=True,
              help="Worker processes, each with --workers threads: they share the queue and "
                   "each alert's fan-out, on as many cores.")
@click.option("--parent", type=int, default=0, hidden=True)
@click.option("--no-periodic", is_flag=True, hidden=True)
@with_appcontext
def worker_command(workers: int, processes: int, parent: int, no_periodic: bool) -> None:
    """Run the background worker (reminders, SMS, alert fan-out, periodic jobs)."""
    if processes > 1:
        sys.exit(_run_processes(workers, processes))
    run_consumer(workers=workers, periodic=not no_periodic, parent=parent)


def _run_processes(workers: int, processes: int) -> int:
    """`processes` consumers, each its own `aid worker`; only the first schedules the
    periodic jobs (else each would be queued once per process). A stop signal is passed on;
    a child that finds this process gone stops by itself."""
    import os
    import subprocess

    command = [sys.executable, "-c", "from aid.cli import main; main()", "worker",
               "--workers", str(workers), "--parent", str(os.getpid())]
    children = [subprocess.Popen([*command, *(["--no-periodic"] if i else [])])  # noqa: S603
                for i in range(processes)]

    def stop(signum: int, _frame: object) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    return max((child.wait() for child in children), key=abs)


@click.command("run")
@click.option("--port", type=int, default=None, help="Defaults to $PORT or 5000.")
@click.option("--host", default="127.0.0.1", show_default=True)
@with_appcontext
def run_command(port: int | None, host: str) -> None:
    """Serve the web app and run the worker in one process (the embedded default).

    The first Ctrl+C or SIGTERM stops both: the server stops taking requests, the worker
    finishes the task in hand (for up to STOP_GRACE seconds), and the process exits.
    """
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    port = port or app.config["PORT"]
    server = make_server(host, port, app, threaded=True,
                         request_handler=AddresslessRequestHandler)
    consumer = huey.create_consumer(workers=2, worker_type="thread", periodic=True)
    # Worker threads beside the web server. start() installs huey's own signal handlers, which
    # only its run() loop obeys: ours replace them.
    consumer.start()
    stopping = threading.Event()

    def stop(signum: int, _frame: object) -> None:
        if not stopping.is_set():
            stopping.set()
            click.echo(f"Stopping ({signal.Signals(signum).name})...")
            # shutdown() waits for serve_forever() to return: not from the loop's own thread.
            threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    start_timers(app)
    click.echo(f"Aid on http://{host}:{server.server_port}  (worker running, SMS backend: "
               f"{app.config['SMS_BACKEND']})")
    try:
        server.serve_forever()
    finally:
        server.server_close()
        consumer.stop_flag.set()  # workers take no new task; the one in hand may finish
        deadline = time.monotonic() + STOP_GRACE
        for _name, worker in [*consumer.worker_threads, ("scheduler", consumer.scheduler)]:
            worker.join(max(0.0, deadline - time.monotonic()))
        click.echo("Stopped.")
        # Everything is closed: skip the interpreter's final sweep of every object, which
        # takes seconds with the whole app loaded.
        gc.freeze()


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Fill a new install with a believable demo network."""
    for line in create_demo():
        click.echo(line)


def register_app_commands(app: Flask) -> None:
    for command in (user_group, keys_group, worker_command, run_command, demo_command, db_group,
                    purge_command, wipe_command, backup_group, search_group):
        app.cli.add_command(command)
