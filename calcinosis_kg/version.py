"""The package's version, read once from its installed metadata (``pyproject.toml``).

>>> __version__.count(".") >= 2
True
"""

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__ = version("calcinosis-kg")
except PackageNotFoundError:  # running from a checkout that is not installed
    __version__ = "0.0.0"
