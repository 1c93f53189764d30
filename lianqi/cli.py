"""The `lianqi` command: `lianqi demo` runs the demo park on this machine, `lianqi manage …` is
Django's manage.py for the installed project."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

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


def demo(args: argparse.Namespace) -> int:
    """Migrate, build the demo park when the database has none (or on --reset), print the
    address and the logins, then serve."""
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    from lianqi.demo.builder import demo_exists, demo_logins, format_logins

    database = settings.DATABASES["default"]
    print(f"Database: {database['ENGINE'].rsplit('.', 1)[-1]} {database.get('NAME')}")
    print("Applying migrations…")
    call_command("migrate", interactive=False, verbosity=0)
    if args.reset or not demo_exists():
        call_command("demo", reset=args.reset, scale=args.scale, seed=args.seed)
    else:
        print("The demo park is already in the database (`lianqi demo --reset` builds it again).\n")
        print(format_logins(demo_logins()))
    shown_host = "127.0.0.1" if args.host in {"0.0.0.0", "::"} else args.host
    shown_host = f"[{shown_host}]" if ":" in shown_host else shown_host
    print(f"\nLianqi: http://{shown_host}:{args.port}/")
    if args.no_serve:
        return 0
    if not settings.DEBUG:
        print("LIANQI_DEBUG is off: run `lianqi manage collectstatic` first so that styles are served.")
    print("Press Ctrl+C to stop.\n", flush=True)
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
