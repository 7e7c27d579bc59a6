"""Benchmark of the OKR-as-code export (docs/performance.md, "OKR-as-code export at L").

Command line: for each database and scope (one cycle, the whole organisation) and format,
runs `leitstern export --org <org> [--cycle <name>] --format <f> -o <file>` on the seeded
bench database (var/bench/<db>-<size>, PostgreSQL leitstern_bench_<size>) in a fresh process
and prints its wall time, CPU time (user + system of that process; PostgreSQL's own CPU is
not in it), peak resident memory (ru_maxrss), the size of the file and the load average.

Web (`--web`): the download on the import-and-export page and the API's answer, in-process
through Django's test client as a facilitator of the seeded organisation, each in a fresh
process: status, CPU, wall time, bytes, peak memory. Nothing is asserted: figures to read.

    python bench/export_bench.py                              # L, both databases, cycle + org
    python bench/export_bench.py --dbs sqlite --scopes cycle --formats json,yaml,csv
    python bench/export_bench.py --web --dbs sqlite
    python bench/export_bench.py --tree /tmp/before --scopes cycle   # an older source tree
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.web_bench import BIN, ROOT, VAR, env_for

WEB_CASES = ("page", "cycle_yaml", "cycle_json", "cycle_csv", "org_yaml", "org_csv", "api_cycle")


def cycles(env: dict[str, str], org: str) -> list[str]:
    code = (
        "import json;from leitstern.okrs.models import Cycle;"
        f"print(json.dumps(list(Cycle.objects.filter(organization__slug={org!r})"
        ".order_by('starts_on').values_list('name', flat=True))))"
    )
    out = subprocess.run(
        [str(BIN / "leitstern"), "shell", "-v0", "-c", code],
        env=env, cwd=ROOT, check=True, text=True, capture_output=True,
    )  # fmt: skip
    return list(json.loads(out.stdout.strip().splitlines()[-1]))


def run_export(
    env: dict[str, str], args: list[str], output: Path, tree: Path = ROOT
) -> dict[str, Any]:
    """One export in its own process: wall, CPU and peak memory of that process."""
    command = [str(BIN / "python"), "-m", "leitstern", "export", *args, "-o", str(output)]
    start = time.perf_counter()
    # `python -m` puts the working directory first on the path: the tree's own package.
    process = subprocess.Popen(command, env=env, cwd=tree, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"export failed ({status}): {' '.join(command)}")
    digest = hashlib.sha256()
    with output.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
        "file_mb": output.stat().st_size / 2**20,
        "sha256": digest.hexdigest()[:12],
        "load": os.getloadavg()[0],
    }


def web_case(org_slug: str, case: str) -> dict[str, Any]:
    """Runs inside Django (a fresh process per case): one request, measured."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leitstern.settings")
    django.setup()
    from django.test import Client

    from leitstern.accounts.tokens import create_token
    from leitstern.okrs.models import Cycle
    from leitstern.orgs.models import Membership, Role

    membership = (
        Membership.objects.filter(organization__slug=org_slug, role=Role.FACILITATOR)
        .select_related("person", "organization")
        .order_by("person__email")
        .first()
    )
    assert membership is not None, f"no facilitator in {org_slug}"
    cycle = Cycle.objects.filter(organization=membership.organization).order_by("starts_on").last()
    assert cycle is not None
    client = Client(HTTP_HOST="localhost")
    client.force_login(membership.person)
    page = f"/o/{org_slug}/exchange/"
    scope, _sep, kind = case.partition("_")
    headers: dict[str, str] = {}
    token = None
    if case == "page":
        path, params = page, {}
    elif case == "api_cycle":
        token, text = create_token(membership=membership, name="export bench", expires_days=1)
        headers = {"Authorization": f"Bearer {text}"}
        path, params = "/api/v1/export", {"cycle": str(cycle.uuid)}
    else:
        path, params = page, {"download": kind}
        if scope == "cycle":
            params["cycle"] = str(cycle.uuid)
    client.get(page)  # warm-up: the first request of a process loads templates and URLs
    start, cpu = time.perf_counter(), time.process_time()
    response = client.get(path, params, headers=headers)
    size = 0
    for piece in response.streaming_content if response.streaming else [response.content]:
        size += len(piece)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    if token is not None:
        token.delete()  # leave the bench database as it was
    return {
        "case": case,
        "status": response.status_code,
        "streamed": response.streaming,
        "wall_s": wall,
        "cpu_s": cpu,
        "mb": size / 2**20,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_web(env: dict[str, str], org: str, case: str) -> dict[str, Any]:
    out = subprocess.run(
        [str(BIN / "python"), __file__, "--web-case", case, "--org", org],
        env=env, cwd=ROOT, check=True, text=True, capture_output=True,
    )  # fmt: skip
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    """Run the exports and print one line per run."""
    parser = argparse.ArgumentParser(prog="python bench/export_bench.py")
    parser.add_argument("--size", default="L")
    parser.add_argument("--dbs", default="sqlite,postgres")
    parser.add_argument("--scopes", default="cycle,org", help="cycle, org or both")
    parser.add_argument("--formats", default="json,yaml")
    parser.add_argument("--cycle", help="cycle name for the cycle scope; default: the latest")
    parser.add_argument("--keep", help="keep the exported files in this directory")
    parser.add_argument(
        "--tree",
        help="run the export of another source tree (e.g. `git archive` of an older commit), "
        "to compare before and after",
    )
    parser.add_argument("--web", action="store_true", help="the page's downloads and the API")
    parser.add_argument("--web-case", choices=WEB_CASES, help=argparse.SUPPRESS)
    parser.add_argument("--org", help=argparse.SUPPRESS)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
    )
    args = parser.parse_args(argv)
    if args.web_case:
        print(json.dumps(web_case(args.org, args.web_case)))
        return 0
    if args.web:
        print("| db | request | status | streamed | wall s | CPU s | MB sent | peak MB | load |")
        print("|---|---|---|---|---|---|---|---|---|")
    else:
        print("| db | scope | format | wall s | CPU s | peak MB | file MB | sha256 | load |")
        print("|---|---|---|---|---|---|---|---|---|")
    out_dir = Path(args.keep or tempfile.mkdtemp(prefix="export-bench-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    for db in args.dbs.split(","):
        env = env_for(db, args.size, args.postgres)
        env.pop("LEITSTERN_BENCH", None)  # no query-count middleware: not the load benchmark
        if args.tree:
            env["PYTHONPATH"] = str(Path(args.tree).resolve())
        org = json.loads((VAR / f"{db}-{args.size}" / "seeded.json").read_text())["org"]
        if args.web:
            for case in WEB_CASES:
                w = run_web(env, org, case)
                print(
                    f"| {db} | {case} | {w['status']} | {'yes' if w['streamed'] else 'no'} | "
                    f"{w['wall_s']:.2f} | {w['cpu_s']:.2f} | {w['mb']:.1f} | "
                    f"{w['peak_mb']:.0f} | {os.getloadavg()[0]:.1f} |",
                    flush=True,
                )
            continue
        cycle = args.cycle or cycles(env, org)[-1]
        for scope in args.scopes.split(","):
            for fmt in args.formats.split(","):
                extra = ["--cycle", cycle] if scope == "cycle" else []
                output = out_dir / f"{db}-{args.size}-{scope}.{fmt}"
                tree = Path(args.tree).resolve() if args.tree else ROOT
                r = run_export(env, ["--org", org, *extra, "--format", fmt], output, tree)
                print(
                    f"| {db} | {scope} | {fmt} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} | "
                    f"{r['peak_mb']:.0f} | {r['file_mb']:.1f} | {r['sha256']} | {r['load']:.1f} |",
                    flush=True,
                )
                if not args.keep:
                    output.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
