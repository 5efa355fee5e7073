"""The shipped default registry (registry/data/default_registry.json; see its README)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from registry.formats import Validator, read_registry
from registry.models import Organization

DEFAULT_REGISTRY = "default_registry.json"


def default_registry_path() -> Path:
    return Path(str(resources.files("registry").joinpath("data", DEFAULT_REGISTRY)))


def load_default_registry(key_of: Validator) -> list[Organization]:
    return read_registry(default_registry_path(), key_of)
