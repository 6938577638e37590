"""The errors the pipeline reports to its users."""

from __future__ import annotations

__all__ = ["CalcinosisKGError", "InconsistencyError", "InputError"]


class CalcinosisKGError(Exception):
    """Base class of the errors that the command line reports in one line."""


class InputError(CalcinosisKGError):
    """A file is missing or cannot be parsed; the message names the file, line and column."""


class InconsistencyError(CalcinosisKGError):
    """Reasoning found the graph inconsistent."""
