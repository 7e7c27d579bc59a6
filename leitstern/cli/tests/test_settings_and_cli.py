"""Settings and the `leitstern` command, exercised in real subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def run(
    code_or_args: list[str], env: dict[str, str], *, python: bool = False
) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "LEITSTERN_ENV"}
    }
    base["DJANGO_SETTINGS_MODULE"] = "leitstern.settings"
    cmd = (
        [sys.executable, "-c", code_or_args[0]]
        if python
        else [sys.executable, "-m", "leitstern", *code_or_args]
    )
    return subprocess.run(
        cmd, env={**base, **env}, capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def test_production_start_without_secret_key_refuses_clearly(tmp_path: Path) -> None:
    result = run(["check"], {"LEITSTERN_ENV": "production", "LEITSTERN_VAR_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert "SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_start_needs_allowed_hosts(tmp_path: Path) -> None:
    result = run(
        ["check"],
        {"LEITSTERN_ENV": "production", "SECRET_KEY": "x" * 60, "LEITSTERN_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 1 and "ALLOWED_HOSTS is not set" in result.stderr


def test_local_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    code = "from django.conf import settings; print(settings.SECRET_KEY, settings.DEBUG)"
    first = run([code], {"LEITSTERN_VAR_DIR": str(tmp_path)}, python=True)
    second = run([code], {"LEITSTERN_VAR_DIR": str(tmp_path)}, python=True)
    assert first.returncode == 0, first.stderr
    key, debug = first.stdout.split()
    assert len(key) >= 50 and debug == "False"  # DEBUG is off unless asked
    assert second.stdout == first.stdout
    assert (tmp_path / "secret_key").read_text().strip() == key
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(tmp_path: Path) -> None:
    code = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])\n"
        "c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0])\n"
        "print(connection.transaction_mode)\n"
    )
    result = run([code], {"LEITSTERN_VAR_DIR": str(tmp_path)}, python=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "20000", "IMMEDIATE"]


def test_database_url_and_allowed_hosts_come_from_the_environment(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'], d['HOST'], ','.join(settings.ALLOWED_HOSTS))"
    )
    result = run(
        [code],
        {
            "DATABASE_URL": "postgres://u@db.internal:5432/okr",
            "ALLOWED_HOSTS": "okr.example.org,okr2.example.org",
            "LEITSTERN_VAR_DIR": str(tmp_path),
        },
        python=True,
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "okr",
        "db.internal",
        "okr.example.org,okr2.example.org",
    ]


def test_healthz_answers_503_when_the_database_does_not(tmp_path: Path) -> None:
    code = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/healthz', HTTP_HOST='localhost')\n"
        "print(r.status_code, r.json()['database'])\n"
    )
    result = run(
        [code],
        {"DATABASE_URL": "postgres://nobody@127.0.0.1:9/none", "LEITSTERN_VAR_DIR": str(tmp_path)},
        python=True,
    )
    assert result.stdout.split() == ["503", "unavailable"], result.stderr


def test_leitstern_help_lists_our_commands(tmp_path: Path) -> None:
    result = run(["help"], {"LEITSTERN_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0
    for command in ("serve", "demo", "migrate", "createsuperuser"):
        assert command in result.stdout


def test_serve_rejects_a_bad_port(tmp_path: Path) -> None:
    result = run(["serve", "--port", "70000"], {"LEITSTERN_VAR_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert "--port must be between 1 and 65535" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_healthz_answers_200_with_a_small_json_body(client: object) -> None:
    response = client.get("/healthz")  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
