"""The package version, apart from the public facade (`policydiff/__init__.py`) so that the pipeline can stamp
parsed documents without importing the package it belongs to."""

__version__ = "0.1.0"
