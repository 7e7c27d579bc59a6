"""Load benchmark of the web pages and the API: `make bench-web` (or python bench/web_bench.py).

For each database (SQLite, PostgreSQL) and size (S = the demo, M = 200 teams, L = 2,000 teams):
prepare the database (migrate, seed, collectstatic; kept between runs unless --fresh), start
`leitstern serve` (gunicorn, 2 workers) on a free port with LEITSTERN_BENCH=1, drive each
endpoint and its floor view (bench/floor.py) with wrk on loopback, and print p50/p95/p99
latency, requests/s, SQL queries per request (X-Query-Count header), the ratio to the floor and
the peak memory of the workers (VmHWM). Results also go to var/bench/results.json.

    SIZES=S,M DBS=sqlite python bench/web_bench.py --duration 5
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
VAR = ROOT / "var" / "bench"
LUA = Path(__file__).resolve().parent / "wrk_report.lua"
TEAMS = {"M": 200, "L": 2000}
SEARCH_WORD = "onboarding"
# Targets at size L (issue 7): p95 in ms; the team page also needs >= 200 requests/s.
P95_TARGETS = {
    "team": 50,
    "team_first_view": 50,
    "org_home": 150,
    "checkin_post": 50,
    "api_list": 50,
    "learnings": 100,
}
MIN_RPS = {"team": 200}
MAX_FLOOR_RATIO = 2.0
# Rows measured beyond the list of pages, for what they show, not held to the floor
# ratio: the first view of a team page (a cache miss) renders ten tables' rows as HTML, its
# floor returns them as JSON from one statement. It keeps the team page's p95 target, and
# the table prints its ratio (docs/performance.md).
NO_FLOOR_TARGET = {"team_first_view"}
MAX_WORKER_MB = 150
WRK_TIMEOUT = 10
# BENCH_REDIS_URL=redis://127.0.0.1:6379/15 runs the server with Redis (flushed first).
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "")


@dataclass
class Endpoint:
    name: str
    path: str
    floor: str
    method: str = "GET"
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    # When set, wrk requests these paths in turn (page, floor): every request a different
    # team, so the fragment cache cannot help — the first view of a page.
    rotate: tuple[list[str], list[str]] | None = None


@dataclass
class Result:
    db: str
    size: str
    endpoint: str
    status: int
    queries: int | None
    run: dict[str, Any]
    floor: dict[str, Any]
    floor_queries: int | None


def log(message: str) -> None:
    sys.stderr.write(f"[bench] {message}\n")
    sys.stderr.flush()


def env_for(db: str, size: str, base_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env.update(
        LEITSTERN_VAR_DIR=str(VAR / f"{db}-{size}"),
        LEITSTERN_BENCH="1",
        LEITSTERN_API_RATE_LIMIT="100000000",  # the limiter would answer 429 under load
        PYTHONPATH=str(ROOT),
    )
    if db == "postgres":
        env["DATABASE_URL"] = f"{base_url.rstrip('/')}/leitstern_bench_{size.lower()}"
    if REDIS_URL:
        env["REDIS_URL"] = REDIS_URL  # sessions (cached_db), rate limits and fragments shared
    return env


def leitstern(args: list[str], env: dict[str, str], **kwargs: Any) -> str:
    result = subprocess.run(
        [str(BIN / "leitstern"), *args], env=env, cwd=ROOT, check=True, text=True,
        stdout=subprocess.PIPE, **kwargs,
    )  # fmt: skip
    return result.stdout


def ensure_postgres_database(base_url: str, size: str) -> None:
    import psycopg

    name = f"leitstern_bench_{size.lower()}"
    with psycopg.connect(f"{base_url.rstrip('/')}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(db: str, size: str, env: dict[str, str], fresh: bool, base_url: str) -> str:
    """Migrate and seed once per database and size; returns the organisation's slug."""
    if db == "postgres":
        ensure_postgres_database(base_url, size)
    Path(env["LEITSTERN_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    marker = Path(env["LEITSTERN_VAR_DIR"]) / "seeded.json"
    org = "example" if size == "S" else "scale"
    leitstern(["migrate", "--noinput", "-v0"], env)
    if fresh or not marker.exists():
        started = time.monotonic()
        if size == "S":
            leitstern(["demo"], env)
        else:
            args = ["seed-scale", "--org", org, "--teams", str(TEAMS[size]), "--replace"]
            log(leitstern([*args, "--cycles", "8", "--weeks", "13"], env).splitlines()[0])
        seconds = round(time.monotonic() - started, 1)
        marker.write_text(json.dumps({"org": org, "seconds": seconds}))
    leitstern(["collectstatic", "--noinput", "-v0"], env)
    return org


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(env: dict[str, str], port: int) -> tuple[subprocess.Popen[bytes], Path]:
    pidfile = Path(env["LEITSTERN_VAR_DIR"]) / "gunicorn.pid"
    server = subprocess.Popen(
        [str(BIN / "leitstern"), "serve", "--port", str(port), "--workers", "2",
         "--pid", str(pidfile)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if request(port, "GET", "/healthz")[0] == 200:
                return server, pidfile
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise RuntimeError("the server did not answer /healthz within 60 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def request(
    port: int, method: str, path: str, body: str = "", headers: dict[str, str] | None = None
) -> tuple[int, int | None]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body or None, headers=headers or {})
        response = conn.getresponse()
        response.read()
        count = response.getheader("X-Query-Count")
        return response.status, int(count) if count is not None else None
    finally:
        conn.close()


def endpoints(info: dict[str, str]) -> list[Endpoint]:
    org, team, kr = info["org"], info["team"], info["key_result"]
    csrf = secrets.token_hex(16)  # an unmasked 32-character secret: cookie and header match
    web = {"Cookie": f"sessionid={info['session']}; csrftoken={csrf}"}
    api = {"Authorization": f"Bearer {info['token']}"}
    post = {
        **web,
        "X-CSRFToken": csrf,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    body = f"kr-{kr}-value=42&kr-{kr}-confidence=6"
    return [
        Endpoint("org_home", f"/o/{org}/", f"/_bench/{org}/", headers=web),
        Endpoint("team", f"/o/{org}/teams/{team}/", f"/_bench/{org}/teams/{team}/", headers=web),
        Endpoint(
            "team_first_view",
            f"/o/{org}/teams/{team}/",
            f"/_bench/{org}/teams/{team}/",
            headers=web,
            rotate=(
                [f"/o/{org}/teams/{slug}/" for slug in info["teams"]],
                [f"/_bench/{org}/teams/{slug}/" for slug in info["teams"]],
            ),
        ),
        Endpoint(
            "key_result",
            f"/o/{org}/key-results/{kr}/",
            f"/_bench/{org}/key-results/{kr}/",
            headers=web,
        ),
        Endpoint("problems", f"/o/{org}/problems/", f"/_bench/{org}/problems/", headers=web),
        Endpoint(
            "learnings",
            f"/o/{org}/learnings/?q={SEARCH_WORD}",
            f"/_bench/{org}/learnings/?q={SEARCH_WORD}",
            headers=web,
        ),
        Endpoint(
            "checkin_post",
            f"/o/{org}/teams/{team}/check-in/",
            f"/_bench/{org}/check-in/{kr}/",
            "POST",
            body,
            post,
        ),
        Endpoint(
            "api_list",
            f"/api/v1/key-results?team={team}",
            f"/_bench/{org}/api/key-results/?team={team}",
            headers=api,
        ),
        Endpoint(
            "api_detail",
            f"/api/v1/key-results/{kr}",
            f"/_bench/{org}/api/key-results/{kr}/",
            headers=api,
        ),
    ]


def wrk(
    port: int, path: str, ep: Endpoint, seconds: int, connections: int, rotate: list[str] | None
) -> dict[str, Any]:
    env = {
        **os.environ,
        "BENCH_PATHS": "\n".join(rotate or []),
        "BENCH_METHOD": ep.method,
        "BENCH_BODY": ep.body if ep.method == "POST" else "",
        "BENCH_HEADERS": "\n".join(f"{k}: {v}" for k, v in ep.headers.items()),
    }
    if ep.method != "POST":
        env.pop("BENCH_BODY")
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", f"{WRK_TIMEOUT}s",
         "-s", str(LUA), f"http://127.0.0.1:{port}{path}"],
        env=env, check=True, text=True, capture_output=True,
    ).stdout  # fmt: skip
    line = next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))
    return dict(json.loads(line.removeprefix("BENCH_JSON ")))


def _proc_cpu(pid: str) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_snapshot(pidfile: Path, dbname: str | None) -> tuple[float, float]:
    """CPU seconds used so far by the gunicorn workers and by PostgreSQL backends of `dbname`.

    Latency on a shared machine depends on what else runs; CPU time per request does not
    (much), so the table reports both.
    """
    master = pidfile.read_text().strip()
    app = db = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        pid = stat.parent.name
        try:
            text = stat.read_text()
            ppid = text.rsplit(")", 1)[1].split()[1]
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue
        if ppid == master:
            app += _proc_cpu(pid)
        elif dbname and cmd.startswith("postgres:") and f" {dbname} " in cmd:
            db += _proc_cpu(pid)
    return app, db


def worker_peak_mb(pidfile: Path) -> float:
    """The highest peak resident memory (VmHWM) among the master's worker processes."""
    master = pidfile.read_text().strip()
    peaks = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == master and "VmHWM" in fields:
            peaks.append(int(fields["VmHWM"].split()[0]) / 1024)
    return round(max(peaks, default=0.0), 1)


def bench_one(db: str, size: str, args: argparse.Namespace) -> tuple[list[Result], float]:
    env = env_for(db, size, args.postgres_url)
    log(f"{db} {size}: preparing the database (load average {os.getloadavg()[0]:.1f})")
    org = prepare(db, size, env, args.fresh, args.postgres_url)
    info = json.loads(
        subprocess.run(
            [str(BIN / "python"), str(Path(__file__).parent / "bench_setup.py"), org],
            env=env,
            cwd=ROOT,
            check=True,
            text=True,
            capture_output=True,
        ).stdout
    )
    if REDIS_URL:
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
    port = free_port()
    server, pidfile = start_server(env, port)
    results = []
    try:
        for ep in endpoints(info):
            if args.only and ep.name not in args.only.split(","):
                continue
            status, queries = request(port, ep.method, ep.path, ep.body, ep.headers)
            floor_status, floor_queries = request(port, ep.method, ep.floor, ep.body, ep.headers)
            if status >= 400 or floor_status >= 400:
                raise RuntimeError(f"{ep.name}: HTTP {status} (floor {floor_status})")
            log(f"{db} {size} {ep.name}: HTTP {status}, {queries} queries; load…")
            dbname = env.get("DATABASE_URL", "").rsplit("/", 1)[-1] or None
            before = cpu_snapshot(pidfile, dbname)
            pages, floors = ep.rotate or (None, None)
            run = wrk(port, ep.path, ep, args.duration, args.connections, pages)
            after = cpu_snapshot(pidfile, dbname)
            n = run["requests"]  # none finished: no per-request figure
            run["app_cpu_ms"] = (after[0] - before[0]) * 1000 / n if n else float("nan")
            run["db_cpu_ms"] = (after[1] - before[1]) * 1000 / n if n else float("nan")
            floor = wrk(port, ep.floor, ep, args.duration, args.connections, floors)
            if args.solo_connections:
                # As many connections as workers: no request waits for another, so this p95
                # is service time alone; the main run's p95 includes queueing.
                solo = wrk(port, ep.path, ep, args.duration, args.solo_connections, pages)
                run["p95_solo"] = solo["p95"] if solo["requests"] else float("nan")
            results.append(Result(db, size, ep.name, status, queries, run, floor, floor_queries))
        memory = worker_peak_mb(pidfile)
    finally:
        stop_server(server)
    return results, memory


def verdict(r: Result, memory: float) -> str:
    notes = []
    if not r.run["requests"]:
        return f"no answer within {WRK_TIMEOUT} s"
    ratio = r.run["p95"] / max(r.floor["p95"], 0.001)
    if r.size == "L":
        target = P95_TARGETS.get(r.endpoint)
        if target is not None and r.run["p95"] > target:
            notes.append(f"p95>{target}")
        if r.endpoint in MIN_RPS and r.run["rps"] < MIN_RPS[r.endpoint]:
            notes.append(f"rps<{MIN_RPS[r.endpoint]}")
        if ratio > MAX_FLOOR_RATIO and r.endpoint not in NO_FLOOR_TARGET:
            notes.append(f">{MAX_FLOOR_RATIO:g}×floor")
        if memory > MAX_WORKER_MB:
            notes.append(f"mem>{MAX_WORKER_MB}")
    if r.run["errors_status"] or r.run["errors_socket"]:
        notes.append(f"errors {r.run['errors_status']}/{r.run['errors_socket']}")
    return ", ".join(notes) or "ok"


def table(results: list[Result], memory: dict[tuple[str, str], float]) -> str:
    head = (
        "| db | size | endpoint | p50 ms | p95 ms | p99 ms | req/s | queries | floor p95 ms "
        "| floor req/s | p95 ÷ floor | req/s ÷ floor | CPU ms/req app+db | p95 ms, 2 conn "
        "| worker MB | verdict |"
    )
    lines = [head, "|" + "---|" * 16]
    for r in results:
        mem = memory[(r.db, r.size)]
        p95_ratio = r.run["p95"] / max(r.floor["p95"], 0.001)
        rps_ratio = r.run["rps"] / max(r.floor["rps"], 0.001)
        lines.append(
            f"| {r.db} | {r.size} | {r.endpoint} | {r.run['p50']:.1f} | {r.run['p95']:.1f} "
            f"| {r.run['p99']:.1f} | {r.run['rps']:.0f} | {r.queries} | {r.floor['p95']:.1f} "
            f"| {r.floor['rps']:.0f} | {p95_ratio:.1f} | {rps_ratio:.2f} "
            f"| {r.run['app_cpu_ms']:.1f}+{r.run['db_cpu_ms']:.1f} "
            f"| {r.run.get('p95_solo', float('nan')):.1f} | {mem:.0f} "
            f"| {verdict(r, mem)} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=os.environ.get("SIZES", "S,M,L"))
    parser.add_argument("--dbs", default=os.environ.get("DBS", "sqlite,postgres"))
    parser.add_argument("--duration", type=int, default=int(os.environ.get("DURATION", 5)))
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument(
        "--solo-connections",
        type=int,
        default=int(os.environ.get("SOLO_CONNECTIONS", 2)),
        help="a second run of each page with this many connections (one per worker: "
        "service time without queueing); 0 skips it",
    )
    parser.add_argument(
        "--only", default=os.environ.get("ONLY", ""), help="endpoint names, comma-separated"
    )
    parser.add_argument("--fresh", action="store_true", help="seed again even if seeded")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
    )
    args = parser.parse_args()
    results: list[Result] = []
    memory: dict[tuple[str, str], float] = {}
    for db in [d.strip() for d in args.dbs.split(",") if d.strip()]:
        for size in [s.strip().upper() for s in args.sizes.split(",") if s.strip()]:
            found, memory[(db, size)] = bench_one(db, size, args)
            results.extend(found)
    report = table(results, memory)
    print(report)
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / "results.json").write_text(
        json.dumps(
            {
                "load_at_end": os.getloadavg(),
                "results": [asdict(r) for r in results],
                "worker_mb": {f"{d}-{s}": m for (d, s), m in memory.items()},
            },
            indent=1,
        )
    )
    (VAR / "results.md").write_text(report + "\n")


if __name__ == "__main__":
    main()
