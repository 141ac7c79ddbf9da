"""The `aid` command as an organiser uses it from a shell."""

from __future__ import annotations

import pyotp

from aid.auth import service as accounts
from aid.extensions import db


def test_user_create_reads_the_password_from_stdin_and_prints_the_totp_uri(aid_test, runner,
                                                                           client):
    result = runner.invoke(args=["user", "create", "first@example.org", "--role", "admin"],
                           input="a strong first password\n")
    assert result.exit_code == 0, result.output
    uri = next(line for line in result.output.splitlines() if line.startswith("otpauth://"))
    assert "a strong first password" not in result.output
    user = accounts.find_by_email("first@example.org")
    assert user.role == "admin" and user.totp_confirmed
    # The first admin can sign in with the printed URI in an authenticator app.
    aid_test.post_form(client, "/login", {"email": "first@example.org",
                                          "password": "a strong first password"})
    code = pyotp.parse_uri(uri).now()
    assert aid_test.post_form(client, "/login/code", {"code": code}).status_code == 302
    assert client.get("/admin/users").status_code == 200


def test_user_create_refuses_a_short_password_and_a_duplicate(runner):
    short = runner.invoke(args=["user", "create", "a@example.org"], input="short\n")
    assert short.exit_code != 0 and "10 to 256" in short.output
    runner.invoke(args=["user", "create", "a@example.org"], input="long enough password\n")
    again = runner.invoke(args=["user", "create", "A@example.org"], input="long enough password\n")
    assert again.exit_code != 0 and "already exists" in again.output


def test_demo_fills_a_network_and_can_run_twice(runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "coord@demo.example" in first.output and "otpauth://" in first.output
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "already there" in second.output
    db.session.expire_all()
    assert accounts.find_by_email("rosa@demo.example").status == "vetted"
