from __future__ import annotations

import gc
import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from gunicorn.app.base import BaseApplication

from leitstern.wsgi import application


def _post_fork(server: Any, worker: Any) -> None:
    # The app is loaded once in the master (copy-on-write memory for the workers); a
    # connection the master might have opened must not be shared by forked workers.
    connections.close_all()


class GunicornApp(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # Everything loaded so far (Django, the URL table, templates) lives as long as the
        # process: keep it out of the garbage collector's full passes, which otherwise walk
        # ~140,000 start-up objects and cost a request up to ~180 ms now and then.
        gc.freeze()
        return application


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


class Command(BaseCommand):
    help = "Serve Leitstern with gunicorn (the production server) on the configured database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=_env_int("PORT", 8000))
        parser.add_argument(
            "--bind",
            default=os.environ.get("LEITSTERN_BIND", "127.0.0.1"),
            help="address to listen on (default 127.0.0.1)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=_env_int("WEB_CONCURRENCY", 2),
            help="processes (default 2 or $WEB_CONCURRENCY; about 2 per core)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=_env_int("LEITSTERN_THREADS", 1),
            help="threads per process (more than 1 uses gunicorn's gthread worker)",
        )
        parser.add_argument("--timeout", type=int, default=30, help="seconds per request")
        parser.add_argument(
            "--max-requests",
            type=int,
            default=_env_int("LEITSTERN_MAX_REQUESTS", 0),
            help="restart a worker after this many requests, capping slow memory growth "
            "(0 = never; with jitter so workers do not restart together)",
        )
        parser.add_argument("--max-requests-jitter", type=int, default=None)
        parser.add_argument(
            "--keep-alive", type=int, default=5, help="seconds to hold an idle connection"
        )
        parser.add_argument("--pid", default=None, help="write the master's process id here")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["port"] < 65536:
            raise CommandError("--port must be between 1 and 65535.")
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        if options["max_requests"] < 0:
            raise CommandError("--max-requests must be 0 (never) or more.")
        database = settings.DATABASES["default"]
        where = database["NAME"] if "sqlite" in database["ENGINE"] else database.get("HOST", "")
        self.stdout.write(
            f"Leitstern on http://{options['bind']}:{options['port']}/ "
            f"({options['workers']} workers × {options['threads']} threads, database "
            f"{database['ENGINE'].rsplit('.', 1)[-1]} {where}, "
            f"{'production' if settings.PRODUCTION else 'local'} settings)"
        )
        self.stdout.flush()
        GunicornApp(self._config(options)).run()

    def _config(self, options: dict[str, Any]) -> dict[str, Any]:
        jitter = options["max_requests_jitter"]
        if jitter is None:
            jitter = options["max_requests"] // 10
        config = {
            "bind": f"{options['bind']}:{options['port']}",
            "workers": options["workers"],
            "threads": options["threads"],
            "timeout": options["timeout"],
            "keepalive": options["keep_alive"],
            "max_requests": options["max_requests"],
            "max_requests_jitter": jitter,
            "post_fork": _post_fork,
            "accesslog": "-" if os.environ.get("LEITSTERN_ACCESS_LOG") else None,
            "errorlog": "-",
            "loglevel": "warning",
        }
        if options["pid"]:
            config["pidfile"] = options["pid"]
        return config
