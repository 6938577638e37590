"""The errors the pipeline reports to its users, each with the exit code the command line uses."""

from __future__ import annotations

__all__ = [
    "CalcinosisKGError",
    "InputError",
    "InvalidDataError",
    "LoadError",
    "MappingError",
    "QueryError",
    "StoreError",
]


class CalcinosisKGError(Exception):
    """A usage or runtime error, reported in one line (exit code 2)."""

    exit_code = 2


class InputError(CalcinosisKGError):
    """A file or folder that does not exist or cannot be read (exit code 2)."""


class InvalidDataError(CalcinosisKGError):
    """Data that cannot be parsed; the message names the file, line and column (exit code 1)."""

    exit_code = 1


class QueryError(CalcinosisKGError):
    """A query cannot be run: unknown name, bad parameter, refused form, time limit, endpoint error."""


class MappingError(CalcinosisKGError):
    """A mapping cannot be written as SSSOM: an IRI outside the declared prefixes (exit code 1)."""

    exit_code = 1


class StoreError(CalcinosisKGError):
    """The triplestore could not be reached or the connection dropped (exit code 2)."""


class LoadError(CalcinosisKGError):
    """The triplestore refused or garbled a load; the target graph was left as it was (exit code 1)."""

    exit_code = 1
