from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from gunicorn.app.base import BaseApplication

from leitstern.wsgi import application


class GunicornApp(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return application


class Command(BaseCommand):
    help = "Serve Leitstern with gunicorn (the production server) on the configured database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument(
            "--bind",
            default=os.environ.get("LEITSTERN_BIND", "127.0.0.1"),
            help="address to listen on (default 127.0.0.1)",
        )
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2))
        )
        parser.add_argument("--threads", type=int, default=1)
        parser.add_argument("--timeout", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["port"] < 65536:
            raise CommandError("--port must be between 1 and 65535.")
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        database = settings.DATABASES["default"]
        where = database["NAME"] if "sqlite" in database["ENGINE"] else database.get("HOST", "")
        self.stdout.write(
            f"Leitstern on http://{options['bind']}:{options['port']}/ "
            f"({options['workers']} workers, database {database['ENGINE'].rsplit('.', 1)[-1]} "
            f"{where}, {'production' if settings.PRODUCTION else 'local'} settings)"
        )
        GunicornApp(
            {
                "bind": f"{options['bind']}:{options['port']}",
                "workers": options["workers"],
                "threads": options["threads"],
                "timeout": options["timeout"],
                "accesslog": "-" if os.environ.get("LEITSTERN_ACCESS_LOG") else None,
                "errorlog": "-",
                "loglevel": "warning",
            }
        ).run()
