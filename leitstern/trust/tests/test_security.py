"""Sign-in hardening, sessions and headers, exercised through the front door."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from leitstern.tests import factories
from leitstern.trust.security import SESSION_SEEN, SESSION_STARTED, axes_username, client_ip

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
LOGIN = "/accounts/login/"


def sign_in(client: Client, email: str, password: str, ip: str = "10.0.0.1"):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)


def test_sign_in_works_and_rotates_the_session_key(client, world) -> None:
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    response = sign_in(client, "member@acme.test", factories.PASSWORD)
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.session[SESSION_STARTED] == client.session[SESSION_SEEN]


def test_repeated_failures_lock_out_this_email_from_this_address_only(client, world) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "member@acme.test", "wrong-password")
    locked = sign_in(client, "member@acme.test", factories.PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    # The same person from another network, and another person from this one, still get in.
    assert (
        sign_in(Client(), "member@acme.test", factories.PASSWORD, ip="10.9.9.9").status_code == 302
    )
    assert sign_in(Client(), "admin@acme.test", factories.PASSWORD).status_code == 302
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "member@acme.test" and attempt.ip_address == "10.0.0.1"


def test_the_lockout_is_short(client, world) -> None:
    assert settings.AXES_COOLOFF_TIME.total_seconds() <= 30 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_DISABLE_ACCESS_LOG is True  # no log of successful sign-ins


def test_sign_in_failures_are_rate_limited_per_address(world) -> None:
    pages = [
        sign_in(Client(), f"nobody{index}@acme.test", "wrong", ip="10.1.1.1").content.decode()
        for index in range(12)
    ]
    assert "Too many failed login attempts" in pages[-1]
    assert "Too many failed login attempts" not in pages[0]
    other = sign_in(Client(), "member@acme.test", factories.PASSWORD, ip="10.1.1.2")
    assert other.status_code == 302  # another address is not affected


def test_password_reset_answers_the_same_for_known_and_unknown_emails(client, world) -> None:
    known = client.post("/accounts/password/reset/", {"email": "member@acme.test"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@acme.test"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert settings.ACCOUNT_PREVENT_ENUMERATION is True


def test_password_reset_is_rate_limited(client, world) -> None:
    statuses = [
        client.post("/accounts/password/reset/", {"email": "member@acme.test"}).status_code
        for _ in range(6)
    ]
    assert statuses[0] == 302 and 429 in statuses
    assert len(mail.outbox) <= 3


def test_sign_in_errors_do_not_reveal_whether_an_email_exists(world) -> None:
    def normalised(email: str) -> str:
        page = sign_in(Client(), email, "wrong").content.decode().replace(email, "X")
        return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', "", page)

    assert normalised("member@acme.test") == normalised("nobody@acme.test")


def test_the_password_minimum_length_is_ten() -> None:
    lengths = [
        v.get("OPTIONS", {}).get("min_length")
        for v in settings.AUTH_PASSWORD_VALIDATORS
        if v["NAME"].endswith("MinimumLengthValidator")
    ]
    assert lengths == [10]


def test_an_idle_session_ends(client, world) -> None:
    client.force_login(world.member.person)
    session = client.session
    session[SESSION_SEEN] = int(time.time()) - settings.LEITSTERN_SESSION_IDLE_SECONDS - 5
    session.save()
    response = client.get(reverse("charter", kwargs={"org": "acme"}))
    assert response.status_code == 302 and LOGIN in response["Location"]


def test_a_busy_session_still_ends_after_the_absolute_limit(client, world) -> None:
    client.force_login(world.member.person)
    session = client.session
    session[SESSION_STARTED] = int(time.time()) - settings.SESSION_COOKIE_AGE - 5
    session[SESSION_SEEN] = int(time.time())
    session.save()
    response = client.get(reverse("charter", kwargs={"org": "acme"}))
    assert response.status_code == 302


def test_an_active_session_goes_on(client, world) -> None:
    client.force_login(world.member.person)
    session = client.session
    session[SESSION_SEEN] = int(time.time()) - 120
    session.save()
    assert client.get(reverse("charter", kwargs={"org": "acme"})).status_code == 200
    assert client.session[SESSION_SEEN] >= int(time.time()) - 5


def test_strict_security_headers_on_every_page(client, world) -> None:
    client.force_login(world.member.person)
    response = client.get(reverse("charter", kwargs={"org": "acme"}))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_scripts_or_styles_and_htmx_keeps_its_styles_out(client, world):
    client.force_login(world.admin.person)
    for name in ("charter", "privacy_record", "org_settings", "audit_log", "pulse_index"):
        page = client.get(reverse(name, kwargs={"org": "acme"})).content.decode()
        assert "<style" not in page and " style=" not in page
        assert page.count("<script") == page.count("<script src=")
    assert '"includeIndicatorStyles": false' in page


def test_axes_helpers_read_allauth_credentials_and_trusted_proxies(rf, settings) -> None:
    assert axes_username(None, {"email": " Mia@Acme.test "}) == "mia@acme.test"
    request = rf.post(LOGIN, {"login": "Kim@x.test"})
    assert axes_username(request, None) == "kim@x.test"
    request = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.8")
    settings.LEITSTERN_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.9"
    settings.LEITSTERN_PROXY_COUNT = 1
    assert client_ip(request) == "10.0.0.8"
    settings.LEITSTERN_PROXY_COUNT = 2
    assert client_ip(request) == "1.2.3.4"


@pytest.mark.django_db(transaction=False)
def test_check_deploy_is_clean_under_production_settings(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "LEITSTERN_ENV"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "leitstern.settings",
            "LEITSTERN_ENV": "production",
            "SECRET_KEY": "k" * 20 + "Xy7-aB9_qZ2!mN4@pL6#rT8$" * 3,
            "ALLOWED_HOSTS": "okr.example.org",
            "LEITSTERN_VAR_DIR": str(tmp_path),
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "leitstern", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)"
    )
    flags = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert flags.stdout.split() == ["True", "True", "True"], flags.stderr
