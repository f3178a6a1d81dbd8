"""Settings come from the environment, with safe failures in production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _check(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_development_mode_works_out_of_the_box():
    result = _check({"DJANGO_DEBUG": "1"})
    assert result.returncode == 0, result.stderr


def test_without_djangodebug_the_settings_are_production_ones():
    """A deploy that forgets DJANGO_DEBUG=0 is not in debug mode with a public key."""
    result = _check({})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    code = "from django.conf import settings as s; print(s.DEBUG)"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_SECRET_KEY="k7#Qz!" + "rT9vW2xY4pL6mN8bC0dF" * 3,
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.stdout.strip() == "False", out.stderr


@pytest.mark.parametrize(
    "secret",
    [None, "short", "django-insecure-" + "x" * 60, "a" * 60],
    ids=["missing", "short", "insecure-prefix", "one-character"],
)
def test_production_refuses_a_missing_or_weak_secret_key(secret):
    env = {"DJANGO_DEBUG": "0"}
    if secret is not None:
        env["DJANGO_SECRET_KEY"] = secret
    result = _check(env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    # One line saying what to set, no traceback.
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_production_starts_with_a_strong_secret_key():
    result = _check(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "k7#Qz!" + "rT9vW2xY4pL6mN8bC0dF" * 3,
        }
    )
    assert result.returncode == 0, result.stderr


def test_bad_boolean_names_the_variable():
    result = _check({"DJANGO_DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG='maybe'" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_variable_the_settings_read_is_in_env_example():
    import re

    read = set(
        re.findall(
            r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"',
            (ROOT / "newsroom" / "settings.py").read_text(encoding="utf-8"),
        )
    )
    listed = set(
        re.findall(
            r"^#? ?([A-Z0-9_]+)=",
            (ROOT / ".env.example").read_text(encoding="utf-8"),
            re.M,
        )
    )
    assert read and not read - listed, sorted(read - listed)


def test_language_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_TZ is True
    assert ("en", "English") in [(code, str(name)) for code, name in settings.LANGUAGES]


def test_database_url_selects_postgres_with_a_pool():
    code = (
        "import os; os.environ['DATABASE_URL']='postgres://u:p@127.0.0.1:5432/db';"
        "import django; from django.conf import settings as s;"
        "db=s.DATABASES['default']; print(db['ENGINE'], 'pool' in db['OPTIONS'], db['CONN_MAX_AGE'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.stdout.split() == ["django.db.backends.postgresql", "True", "0"], (
        out.stderr
    )


def test_redis_url_selects_the_redis_cache():
    code = (
        "import os; os.environ['REDIS_URL']='redis://127.0.0.1:6379/0';"
        "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.stdout.strip() == "newsroom.cache.FailOpenRedisCache", out.stderr


def test_s3_bucket_selects_object_storage_with_long_cache_lifetimes():
    code = (
        "import os; os.environ.update(NEWSROOM_S3_BUCKET='tin-tuc', "
        "NEWSROOM_S3_ENDPOINT_URL='http://127.0.0.1:9000', NEWSROOM_MEDIA_DOMAIN='anh.example.vn');"
        "from django.conf import settings as s; d=s.STORAGES['default'];"
        "print(d['BACKEND'], d['OPTIONS']['bucket_name'], d['OPTIONS']['custom_domain'],"
        " d['OPTIONS']['object_parameters']['CacheControl'])"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.stdout.split(" ", 3) == [
        "storages.backends.s3.S3Storage",
        "tin-tuc",
        "anh.example.vn",
        "public, max-age=31536000, immutable\n",
    ], out.stderr


@pytest.mark.parametrize(
    "pgbouncer, prepared", [("0", ["True", "5"]), ("1", ["None", "None"])]
)
def test_postgres_statements_are_prepared_unless_behind_pgbouncer(pgbouncer, prepared):
    code = (
        "import os; os.environ['DATABASE_URL']='postgres://u:p@127.0.0.1:5432/db';"
        "import django; from django.conf import settings as s;"
        "o=s.DATABASES['default']['OPTIONS'];"
        "print(o.get('server_side_binding'), o.get('prepare_threshold'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    env["DATABASE_PGBOUNCER"] = pgbouncer
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.stdout.split() == prepared, out.stderr
