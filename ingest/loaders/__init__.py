"""The per-kind fact loaders; importing this package registers all of them."""

from .base import DocMeta, ExtractionError, FactLoader, Finding  # noqa: F401
