"""API tokens: the settings page, the `token` command and `leitstern --help`."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from leitstern.accounts.models import ApiToken
from leitstern.accounts.tokens import digest

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def test_token_page_creates_shows_once_lists_and_revokes(world, client) -> None:
    client.force_login(world.member.person)
    page = client.post(
        "/account/tokens/", {"name": "CI", "organization": "acme", "expires_days": "30"}
    )
    token = page.context["created"]
    assert token.startswith("ls_") and token.encode() in page.content
    row = ApiToken.objects.get(membership=world.member)
    assert row.digest == digest(token) and token not in row.digest
    again = client.get("/account/tokens/")
    assert token.encode() not in again.content and b"CI" in again.content
    client.post(f"/account/tokens/{row.prefix}/revoke/")
    row.refresh_from_db()
    assert row.revoked_at is not None


def test_token_page_refuses_an_organisation_of_which_one_is_no_member(world, client) -> None:
    client.force_login(world.member.person)
    page = client.post(
        "/account/tokens/", {"name": "x", "organization": "globex", "expires_days": "30"}
    )
    assert page.context["form"].errors["organization"] and not ApiToken.objects.exists()


def test_others_cannot_revoke_my_token_and_anonymous_is_redirected(world, client) -> None:
    client.force_login(world.member.person)
    client.post("/account/tokens/", {"name": "x", "organization": "acme", "expires_days": "30"})
    row = ApiToken.objects.get()
    client.force_login(world.admin.person)
    assert client.post(f"/account/tokens/{row.prefix}/revoke/").status_code == 404
    client.logout()
    assert client.get("/account/tokens/").status_code == 302


def test_token_command_prints_the_token_alone(world) -> None:
    out = io.StringIO()
    call_command("token", "create", "--email", "member@acme.test", "--org", "acme", stdout=out)
    text = out.getvalue().strip()
    assert text.startswith("ls_") and "\n" not in text
    assert ApiToken.objects.get().digest == digest(text)
    with pytest.raises(CommandError, match="not a member"):
        call_command("token", "create", "--email", "member@acme.test", "--org", "globex")
    with pytest.raises(CommandError, match="1 to"):
        call_command(
            "token",
            "create",
            "--email",
            "member@acme.test",
            "--org",
            "acme",
            "--expires-days",
            "0",
        )
    listing = io.StringIO()
    call_command("token", "list", "--email", "member@acme.test", stdout=listing)
    assert "acme" in listing.getvalue() and text not in listing.getvalue()


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "leitstern", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_leitstern_help_lists_our_commands_with_a_purpose_and_exit_codes() -> None:
    result = _run("--help")
    assert result.returncode == 0
    for name in ("serve", "demo", "coach", "export", "import", "token"):
        assert f"  {name} " in result.stdout
    assert (
        "leitstern help --all" in result.stdout
        and "migrate" not in result.stdout.split("Django")[0]
    )
    unknown = _run("no-such-command")
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr
    usage = _run("export")
    assert usage.returncode == 2 and "--org" in usage.stderr
