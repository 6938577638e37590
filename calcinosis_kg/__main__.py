"""``python -m calcinosis_kg`` runs the command line."""

from .cli import run

run()
