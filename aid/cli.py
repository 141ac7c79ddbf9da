"""The `aid` command line: the click group and its entry point (the subcommands are in
`aid.commands`, which the app factory registers)."""

from __future__ import annotations

from flask import Flask
from flask.cli import FlaskGroup, routes_command, shell_command

from aid import create_app
from aid.commands import keys_group


def _create_app() -> Flask:
    return create_app()


cli = FlaskGroup(create_app=_create_app, add_default_commands=False, add_version_option=False,
                 load_dotenv=False, help="Aid: mutual-aid network coordination.")
cli.add_command(shell_command)
cli.add_command(routes_command)
cli.add_command(keys_group)  # works before any key exists, so it must not need the app


def main() -> None:
    cli.main(prog_name="aid")
