"""Floor views for the web benchmark: the same rows as a page, through one hand-written query.

Mounted under /_bench/ only when LEITSTERN_BENCH=1 (see leitstern/urls.py); never part of a
production URL table. No session, no template: what is left is Django's request handling,
the middleware stack, one SQL statement and a JSON encoder, which is the least any Django view
serving those rows pays. The check-in floor locks the key result (PostgreSQL), then writes with
one upsert plus the key-result update (SQLite cannot do both in one statement) and, after the
commit, the team's page version, as every check-in must.
"""

from __future__ import annotations

import datetime
import json
import secrets
import uuid
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

CURRENT_CYCLE = """(SELECT c.id FROM okrs_cycle c
        JOIN orgs_organization o ON o.id = c.organization_id
    WHERE o.slug = %s AND c.phase IN ('running', 'reflecting')
    ORDER BY c.starts_on DESC LIMIT 1)"""

ORG_HOME = f"""
SELECT t.name, t.slug, ob.title, kr.title, kr.current_value, kr.current_confidence,
       kr.baseline, kr.target
FROM (SELECT t.id, t.name, t.slug FROM orgs_team t JOIN orgs_organization o
      ON o.id = t.organization_id WHERE o.slug = %s ORDER BY t.name LIMIT 25) t
JOIN okrs_objective ob ON ob.team_id = t.id AND ob.status <> 'dropped'
     AND ob.cycle_id = {CURRENT_CYCLE}
JOIN okrs_keyresult kr ON kr.objective_id = ob.id
ORDER BY t.name, ob.position, kr.position
"""

TEAM_PAGE = f"""
SELECT ob.title, ob.kind, kr.uuid, kr.title, kr.current_value, kr.current_confidence,
       kr.baseline, kr.target, kr.last_checkin_on, ci.week, ci.confidence
FROM orgs_team t
JOIN orgs_organization o ON o.id = t.organization_id AND o.slug = %s
JOIN okrs_objective ob ON ob.team_id = t.id AND ob.status <> 'dropped'
     AND ob.cycle_id = {CURRENT_CYCLE}
JOIN okrs_keyresult kr ON kr.objective_id = ob.id
LEFT JOIN checkins_checkin ci ON ci.key_result_id = kr.id
WHERE t.slug = %s
ORDER BY ob.position, kr.position, ci.week
"""

KEY_RESULT = """
SELECT kr.title, kr.hypothesis, kr.baseline, kr.target, kr.current_value, ob.title, t.name,
       ci.week, ci.value, ci.confidence, ci.note, p.text, l.text
FROM okrs_keyresult kr
JOIN okrs_objective ob ON ob.id = kr.objective_id
JOIN orgs_team t ON t.id = ob.team_id
LEFT JOIN checkins_checkin ci ON ci.key_result_id = kr.id
LEFT JOIN checkins_problem p ON p.checkin_id = ci.id
LEFT JOIN learning_learning l ON l.checkin_id = ci.id
WHERE kr.uuid = %s
ORDER BY ci.week
"""

PROBLEMS = """
SELECT p.uuid, p.text, p.created_at, t.name, t.slug, kr.title
FROM checkins_problem p
JOIN orgs_organization o ON o.id = p.organization_id AND o.slug = %s
JOIN orgs_team t ON t.id = p.team_id
JOIN okrs_keyresult kr ON kr.id = p.key_result_id
WHERE p.status = 'open'
ORDER BY p.created_at DESC, p.id DESC LIMIT 25
"""

# The learning library's search, newest first, through the same full-text structures as the
# app, so the floor returns the same rows: on PostgreSQL the stored tsvector, on SQLite the
# FTS5 table (walking the date index and looking each learning up among the matches: of the
# ways tried, the cheapest for a frequent word). The organisation is a value, as it is for the
# app (from the membership): joined by slug, PostgreSQL cannot tell how many of the matches
# are the organisation's, fetches all 20,000 through the GIN index and sorts them (~140 ms).
LEARNINGS = """
SELECT l.uuid, l.text, l.hypothesis_outcome, l.created_at, t.name
FROM learning_learning l
JOIN orgs_team t ON t.id = l.team_id
WHERE l.organization_id = (SELECT id FROM orgs_organization WHERE slug = %s) AND {match}
ORDER BY l.created_at DESC, l.id DESC LIMIT 25
"""
LEARNINGS_MATCH = {
    "postgresql": (
        "l.search @@ (websearch_to_tsquery('english'::regconfig, %s)"
        " || websearch_to_tsquery('german'::regconfig, %s))"
    ),
    "sqlite": "+l.id IN (SELECT rowid FROM learning_fts WHERE learning_fts MATCH %s)",
}

# What the API shows of a key result (okrs/api_common.py): every field, its objective and team,
# and its leading indicators.
API_KEY_RESULT_COLUMNS = """kr.id, kr.uuid, kr.title, kr.hypothesis, kr.hypothesis_status,
       kr.hypothesis_evidence, kr.kind, kr.unit, kr.baseline, kr.target, kr.commit_level,
       kr.target_level, kr.stretch_level, kr.position, kr.current_value, kr.current_confidence,
       kr.last_checkin_on, kr.updated_at, ob.uuid AS objective, t.slug AS team"""
API_INDICATOR_COLUMNS = "li.uuid, li.name, li.unit, li.baseline, li.target, li.position"

# A page of the list in the API's order, the count of all matches (the list's `count`) and
# the page's leading indicators, in one statement.
API_KEY_RESULTS = f"""
SELECT page.*, {API_INDICATOR_COLUMNS}
FROM (SELECT {API_KEY_RESULT_COLUMNS}, COUNT(*) OVER () AS total,
             c.starts_on, t.name AS team_name, ob.position AS objective_position
      FROM okrs_keyresult kr
      JOIN okrs_objective ob ON ob.id = kr.objective_id
      JOIN okrs_cycle c ON c.id = ob.cycle_id
      JOIN orgs_team t ON t.id = ob.team_id
      JOIN orgs_organization o ON o.id = kr.organization_id AND o.slug = %s
      WHERE t.slug = %s
      ORDER BY c.starts_on DESC, t.name, ob.position, kr.position, kr.id LIMIT 50) page
LEFT JOIN okrs_leadingindicator li ON li.key_result_id = page.id
ORDER BY page.starts_on DESC, page.team_name, page.objective_position, page.position, page.id,
         li.position, li.created_at
"""

API_KEY_RESULT = f"""
SELECT {API_KEY_RESULT_COLUMNS}, {API_INDICATOR_COLUMNS}
FROM okrs_keyresult kr
JOIN okrs_objective ob ON ob.id = kr.objective_id
JOIN orgs_team t ON t.id = ob.team_id
JOIN orgs_organization o ON o.id = kr.organization_id AND o.slug = %s
LEFT JOIN okrs_leadingindicator li ON li.key_result_id = kr.id
WHERE kr.uuid = %s
ORDER BY li.position, li.created_at
"""

# One upsert of this week's check-in; the key result's derived values follow in the same
# transaction, as `record_checkin` does.
CHECKIN_UPSERT = """
INSERT INTO checkins_checkin (organization_id, uuid, created_at, updated_at, key_result_id,
                              week, checked_on, value, confidence, note)
SELECT kr.organization_id, %s, %s, %s, kr.id, %s, %s, %s, %s, ''
FROM okrs_keyresult kr WHERE kr.uuid = %s
ON CONFLICT (key_result_id, week) DO UPDATE SET
  value = excluded.value, confidence = excluded.confidence, updated_at = excluded.updated_at
"""
CHECKIN_DERIVED = """
UPDATE okrs_keyresult SET current_value = %s, current_confidence = %s, last_checkin_on = %s
WHERE uuid = %s
"""
# After the commit, the team's page version: part of every check-in, so the cached team page
# and organisation home show it on the next read (leitstern/orgs/versions.py).
CHECKIN_PAGE_VERSION = """
UPDATE orgs_team SET page_version = %s
WHERE id = (SELECT ob.team_id FROM okrs_keyresult kr
            JOIN okrs_objective ob ON ob.id = kr.objective_id WHERE kr.uuid = %s)
"""


def _uuid(value: uuid.UUID) -> Any:
    return value if connection.vendor == "postgresql" else value.hex


def _json(rows: list[tuple[Any, ...]]) -> HttpResponse:
    return HttpResponse(json.dumps(rows, default=str), content_type="application/json")


def _query(sql: str, params: list[Any]) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _json(cursor.fetchall())


@login_not_required
def org_home(request: HttpRequest, org: str) -> HttpResponse:
    return _query(ORG_HOME, [org, org])


@login_not_required
def team_page(request: HttpRequest, org: str, team: str) -> HttpResponse:
    return _query(TEAM_PAGE, [org, org, team])


@login_not_required
def key_result(request: HttpRequest, org: str, key_result: uuid.UUID) -> HttpResponse:
    return _query(KEY_RESULT, [_uuid(key_result)])


@login_not_required
def problems(request: HttpRequest, org: str) -> HttpResponse:
    return _query(PROBLEMS, [org])


@login_not_required
def learnings(request: HttpRequest, org: str) -> HttpResponse:
    query = request.GET.get("q", "")
    if connection.vendor == "postgresql":
        params = [org, query, query]
    else:
        # each word quoted, three letters or more also as a word's beginning (as the app)
        words = [w for w in query.replace('"', " ").split() if w]
        params = [org, " ".join(f'"{w}"*' if len(w) >= 3 else f'"{w}"' for w in words)]
    return _query(LEARNINGS.format(match=LEARNINGS_MATCH[connection.vendor]), params)


@login_not_required
def api_key_results(request: HttpRequest, org: str) -> HttpResponse:
    return _query(API_KEY_RESULTS, [org, request.GET.get("team", "")])


@login_not_required
def api_key_result(request: HttpRequest, org: str, key_result: uuid.UUID) -> HttpResponse:
    return _query(API_KEY_RESULT, [org, _uuid(key_result)])


@login_not_required
@csrf_exempt
def checkin(request: HttpRequest, org: str, key_result: uuid.UUID) -> HttpResponse:
    today = timezone.localdate()
    week = today - datetime.timedelta(days=today.weekday())
    value, confidence = request.POST.get("value", "1"), int(request.POST.get("confidence", 5))
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    week, today = ops.adapt_datefield_value(week), ops.adapt_datefield_value(today)
    ref = _uuid(key_result)
    with transaction.atomic(), connection.cursor() as cursor:
        fresh = _uuid(uuid.uuid4())
        # Lock the key result first, as record_checkin does: two writers of the same week
        # otherwise deadlock between the check-in row and the key-result row on PostgreSQL.
        if connection.vendor == "postgresql":
            cursor.execute("SELECT id FROM okrs_keyresult WHERE uuid = %s FOR UPDATE", [ref])
        cursor.execute(CHECKIN_UPSERT, [fresh, now, now, week, today, value, confidence, ref])
        cursor.execute(CHECKIN_DERIVED, [value, confidence, today, ref])
    with connection.cursor() as cursor:
        cursor.execute(CHECKIN_PAGE_VERSION, [secrets.randbits(62) + 1, ref])
    return HttpResponse(status=204)


urlpatterns = [
    path("<slug:org>/", org_home),
    path("<slug:org>/teams/<slug:team>/", team_page),
    path("<slug:org>/key-results/<uuid:key_result>/", key_result),
    path("<slug:org>/problems/", problems),
    path("<slug:org>/learnings/", learnings),
    path("<slug:org>/api/key-results/", api_key_results),
    path("<slug:org>/api/key-results/<uuid:key_result>/", api_key_result),
    path("<slug:org>/check-in/<uuid:key_result>/", checkin),
]
