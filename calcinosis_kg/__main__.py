"""``python -m calcinosis_kg`` runs the command line."""

from .cli import main

raise SystemExit(main())
