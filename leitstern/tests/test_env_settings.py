from __future__ import annotations

import pytest
from django.db import connection

from leitstern.lib.env import envint, envint_or_off


def test_a_number_setting_that_is_not_a_number_stops_with_its_name(monkeypatch) -> None:
    monkeypatch.setenv("DB_CONN_MAX_AGE", "sixty")
    with pytest.raises(SystemExit, match="DB_CONN_MAX_AGE must be a whole number, not 'sixty'"):
        envint("DB_CONN_MAX_AGE", 60)


def test_prepare_threshold_reads_off_and_numbers(monkeypatch) -> None:
    monkeypatch.setenv("DB_PREPARE_THRESHOLD", "off")
    assert envint_or_off("DB_PREPARE_THRESHOLD", 5) is None
    monkeypatch.setenv("DB_PREPARE_THRESHOLD", "2")
    assert envint_or_off("DB_PREPARE_THRESHOLD", 5) == 2
    monkeypatch.delenv("DB_PREPARE_THRESHOLD")
    assert envint_or_off("DB_PREPARE_THRESHOLD", 5) == 5


@pytest.mark.django_db
def test_postgresql_binds_on_the_server_so_statements_can_be_prepared() -> None:
    if connection.vendor != "postgresql":
        assert "server_side_binding" not in connection.settings_dict["OPTIONS"]
        return
    assert connection.settings_dict["OPTIONS"]["server_side_binding"] is True
    connection.ensure_connection()
    assert connection.connection.prepare_threshold == 5
    with connection.cursor() as cursor:
        assert type(cursor.cursor).__name__ != "ClientCursor"
