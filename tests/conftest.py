"""Shared fixtures."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """Every test starts with an empty cache."""
    cache.clear()
    yield
    cache.clear()
