"""The `lianqi` command: `lianqi demo` runs the demo park on this machine, `lianqi manage …` is
Django's manage.py for the installed project."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

DEFAULT_SETTINGS = "config.settings.dev"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django

    django.setup()


def manage(argv: Sequence[str]) -> int:
    """Pass everything through to Django's command line, as `manage.py` would."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lianqi manage", *argv])
    return 0


#: Seconds between two runs of the demand sweeps in the demo (deadline warnings, overdue
#: reminders, return visits, due notifications).
DEMO_SWEEP_INTERVAL = 60


def background_commands(tasks_backend: str) -> list[list[str]]:
    """The manage.py commands the demo runs next to its web server: the task worker of the
    configured backend (the database's, or RQ's when `LIANQI_REDIS_URL` moved tasks to Redis)
    for delivery and imports, and the sweep loops (demands and notifications, land reservations)
    always."""
    commands = []
    if tasks_backend.startswith("django_tasks_db."):
        commands.append(["db_worker", "--no-reload", "--interval", "1"])
    elif tasks_backend.startswith("django_tasks_rq."):
        commands.append(["rqworker", "default", "--job-class", "django_tasks_rq.backend.Job"])
    commands.append(["run_sweeps", "--loop", "--interval", str(DEMO_SWEEP_INTERVAL)])
    # Land reservations whose hold ran out go back on the shelf (lianqi.land's own sweep).
    commands.append(["run_land_sweeps", "--loop", "--interval", str(DEMO_SWEEP_INTERVAL)])
    return commands


class Background:
    """Child processes that live as long as the demo server: started with it, stopped with it
    (Ctrl+C, or SIGTERM to the demo). They run in their own session so that Ctrl+C reaches only
    the server, and are then told to stop in order; their output goes to a log file so the
    terminal shows the server alone."""

    def __init__(self, commands: list[list[str]], log_path: Path) -> None:
        self.commands = commands
        self.log_path = log_path
        self.processes: list[subprocess.Popen[bytes]] = []
        self._log: IO[bytes] | None = None

    def __enter__(self) -> Background:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab")
        for command in self.commands:
            self.processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "lianqi.cli", "manage", *command],
                    stdout=self._log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
        return self

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._log is not None:
            self._log.close()


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    # Turn SIGTERM into an ordinary exit so that `finally` and `with` blocks stop the children.
    raise SystemExit(0)


def demo(args: argparse.Namespace) -> int:
    """Migrate, build the demo park when the database has none (or on --reset), print the
    address and the logins, then serve."""
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    from lianqi.demo.builder import demo_exists, demo_logins, format_logins
    from lianqi.demo.log import Say

    say = Say(args.language)
    database = settings.DATABASES["default"]
    engine = f"{database['ENGINE'].rsplit('.', 1)[-1]} {database.get('NAME')}"
    print(say(f"数据库：{engine}", f"Database: {engine}"))
    print(say("正在应用迁移…", "Applying migrations…"))
    call_command("migrate", interactive=False, verbosity=0)
    if args.reset or not demo_exists():
        call_command("demo", reset=args.reset, scale=args.scale, seed=args.seed, language=args.language)
    else:
        print(
            say(
                "数据库中已有演示园区（`lianqi demo --reset` 重新生成）。\n",
                "The demo park is already in the database (`lianqi demo --reset` builds it again).\n",
            )
        )
        print(format_logins(demo_logins(), say))
    shown_host = "127.0.0.1" if args.host in {"0.0.0.0", "::"} else args.host
    shown_host = f"[{shown_host}]" if ":" in shown_host else shown_host
    print(f"\nLianqi: http://{shown_host}:{args.port}/")
    if args.no_serve:
        return 0
    if not settings.DEBUG:
        print(
            say(
                "LIANQI_DEBUG 已关闭：请先运行 `lianqi manage collectstatic`，样式才能加载。",
                "LIANQI_DEBUG is off: run `lianqi manage collectstatic` first so that styles are served.",
            )
        )
    commands = [] if args.no_background else background_commands(str(settings.TASKS["default"]["BACKEND"]))
    log_path = Path(settings.VAR_DIR) / "demo-background.log"
    if commands:
        names = ", ".join(command[0] for command in commands)
        print(
            say(
                f"后台任务（{names}）同时运行，日志：{log_path}",
                f"Background work ({names}) runs alongside; its log: {log_path}",
            )
        )
    print(say("按 Ctrl+C 停止。\n", "Press Ctrl+C to stop.\n"), flush=True)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    with Background(commands, log_path), contextlib.suppress(KeyboardInterrupt):
        # runserver (not a production server) serves the static files itself while DEBUG is on.
        call_command("runserver", f"{args.host}:{args.port}", use_reloader=False)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lianqi",
        description="联企 Lianqi — enterprise service and dispatch platform for industrial parks.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run_demo = commands.add_parser(
        "demo",
        help="run the demo park on this machine (migrate, build the demo data, serve)",
        description=(
            "Migrate the database, build the demo park if the database has none, print the address "
            "and one login per role, and serve it. Uses config.settings.dev unless "
            "DJANGO_SETTINGS_MODULE is set."
        ),
    )
    run_demo.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    run_demo.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    run_demo.add_argument("--no-serve", action="store_true", help="prepare the database and exit")
    run_demo.add_argument(
        "--reset", action="store_true", help="drop every table and build the demo again (destroys all data)"
    )
    run_demo.add_argument("--scale", type=float, default=1.0, help="size relative to seed 001 (default 1.0)")
    run_demo.add_argument("--seed", type=int, default=2022, help="random seed (default 2022)")
    run_demo.add_argument(
        "--language",
        choices=("zh-hans", "en"),
        default="zh-hans",
        help="the language of the demo's log: zh-hans (default) or en",
    )
    run_demo.add_argument(
        "--no-background",
        action="store_true",
        help="do not start the task worker and the sweep loop (notifications then wait for them)",
    )
    run_demo.set_defaults(func=demo)

    commands.add_parser(
        "manage",
        help="Django's manage.py (e.g. `lianqi manage createsuperuser`, `lianqi manage help`)",
        add_help=False,
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    # `manage` takes everything after it verbatim, --help included.
    if arguments[:1] == ["manage"]:
        return manage(arguments[1:])
    parser = build_parser()
    args = parser.parse_args(arguments)
    if args.command is None:
        parser.print_help()
        return 0
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
