"""The ``calcinosis-kg`` command line.

Exit codes: 0 success; 1 invalid data or a failed check; 2 usage or runtime error.

>>> main(["--help"])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
SystemExit: 0
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from ..errors import CalcinosisKGError
from . import pipeline, query, store

__all__ = ["EXIT_ERROR", "EXIT_INVALID", "EXIT_OK", "main", "run"]

EXIT_OK, EXIT_INVALID, EXIT_ERROR = 0, 1, 2

#: Modules that add subcommands; each has ``register(subparsers)``.
COMMAND_MODULES = [pipeline, store, query]

log = logging.getLogger("calcinosis_kg")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="calcinosis-kg",
        description="A source-traced knowledge graph of calcinosis: build, check and query it.",
        epilog="Exit codes: 0 ok, 1 invalid data or failed check, 2 usage or runtime error.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print only results and errors")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="print more detail and tracebacks")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` and return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.handlers[:] = [handler]
    log.propagate = False
    log.setLevel(logging.WARNING if args.quiet else logging.DEBUG if args.verbose else logging.INFO)
    try:
        return int(args.run(args))
    except CalcinosisKGError as exc:
        if args.verbose:
            log.exception("error")
        print(f"calcinosis-kg: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("calcinosis-kg: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # a runtime failure: one line, the traceback only with --verbose
        if args.verbose:
            log.exception("unexpected error")
        print(f"calcinosis-kg: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_ERROR


def run() -> None:
    """The ``calcinosis-kg`` program: :func:`main` on the command line, then exit with its code."""
    raise SystemExit(main())


def _version() -> str:
    from ..version import __version__

    return __version__
