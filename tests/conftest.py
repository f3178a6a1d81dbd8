"""Shared fixtures."""

import os

import pytest
from django.core.cache import cache

# The many-machine test starts a dozen servers: `make cluster-test` runs it.
collect_ignore = [] if os.environ.get("NEWSROOM_CLUSTER_TEST") else ["cluster"]


@pytest.fixture(autouse=True)
def _clear_cache():
    """Every test starts with an empty cache and a database taken as up."""
    from newsroom import faults, pagecache

    cache.clear()
    pagecache.forget()
    faults._down_until = 0.0
    yield
    cache.clear()


@pytest.fixture
def reporter(db):
    from . import factories

    return factories.member("Phóng viên", "phongvien")


@pytest.fixture
def editor(db):
    from . import factories

    return factories.member("Biên tập viên", "bientapvien")


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a folder of the test's own, served by Django."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.NEWSROOM_SERVE_MEDIA = True
    return settings.MEDIA_ROOT


@pytest.fixture
def editorial_roles(transactional_db):
    """The reporter, editor and chief-editor groups with their permissions.

    A data migration makes them; a test with real commits empties the
    tables after itself, so the tests after it make them again here.
    """
    import importlib

    from django.contrib.auth.models import Group, Permission

    roles = importlib.import_module("articles.migrations.0002_editorial_roles").ROLES
    for name, codenames in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(
                codename__in=codenames, content_type__app_label__in=["articles", "auth"]
            )
        )
