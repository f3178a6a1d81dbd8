"""Accounts: throttled logins, refused weak passwords, no self-made superusers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from . import factories

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
ROOT = Path(__file__).resolve().parent.parent


def _try(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_wrong_passwords_lock_the_account_with_a_vietnamese_retry_time(settings):
    settings.AXES_FAILURE_LIMIT = 5
    user = factories.member("Biên tập viên", "bientap")
    user.set_password("mot-cau-rat-dai-2026")
    user.save()
    client = Client()
    for _ in range(4):
        assert _try(client, "bientap", "sai-mat-khau").status_code == 200
    locked = _try(client, "bientap", "sai-mat-khau")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "tạm bị khóa" in page and "Hãy thử lại sau 15 phút" in page
    assert int(locked["Retry-After"]) == 15 * 60
    # The right password does not get in while the account is locked…
    assert _try(client, "bientap", "mot-cau-rat-dai-2026").status_code == 429
    # …not even from another address.
    assert (
        _try(Client(), "bientap", "mot-cau-rat-dai-2026", ip="10.9.9.9").status_code
        == 429
    )


def test_one_address_trying_many_accounts_is_locked_too(settings):
    settings.AXES_FAILURE_LIMIT = 5
    client = Client()
    for i in range(5):
        _try(client, f"nguoi-{i}", "doan-bua", ip="10.0.0.7")
    assert _try(client, "nguoi-moi", "doan-bua", ip="10.0.0.7").status_code == 429
    assert _try(Client(), "nguoi-moi", "doan-bua", ip="10.0.0.8").status_code == 200


@pytest.mark.parametrize(
    "password",
    ["matkhau123", "hanoi2026", "Toasoan2026", "toasoan-demo", "Mật khẩu 2026!",
     "HoChiMinh@1975", "12345678901"],
)  # fmt: skip
def test_common_vietnamese_passwords_are_refused(password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert any("dễ đoán" in m or "common" in m or "numeric" in m or "quá" in m
               for m in refused.value.messages)  # fmt: skip


def test_a_long_unrelated_passphrase_is_accepted():
    validate_password("cà phê sữa đá buổi sáng ở Hội An")


def _chief() -> User:
    return factories.member("Tổng biên tập", "tongbientap")


def test_a_chief_editor_cannot_make_anyone_a_superuser(client):
    chief = _chief()
    client.force_login(chief)
    url = f"/admin/auth/user/{chief.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="is_superuser"' not in page
    data = {
        "username": chief.username,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [Group.objects.get(name="Tổng biên tập").pk],
        "date_joined_0": "01/12/2026",
        "date_joined_1": "10:00:00",
        "initial-date_joined_0": "01/12/2026",
        "initial-date_joined_1": "10:00:00",
    }
    client.post(url, data)
    chief.refresh_from_db()
    assert not chief.is_superuser


def test_a_chief_editor_cannot_grant_what_they_do_not_hold(client):
    chief = _chief()
    reporter = factories.member("Phóng viên", "phongvien")
    client.force_login(chief)
    beyond = Permission.objects.get(codename="delete_user")
    response = client.post(
        f"/admin/auth/user/{reporter.pk}/change/",
        {
            "username": reporter.username,
            "is_active": "on",
            "is_staff": "on",
            "user_permissions": [beyond.pk],
            "date_joined_0": "01/12/2026",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 200
    assert "bạn không có: auth.delete_user" in response.content.decode()
    assert not reporter.user_permissions.exists()
    group = Group.objects.get(name="Tổng biên tập")
    response = client.post(
        f"/admin/auth/group/{group.pk}/change/",
        {"name": group.name, "permissions": [*group.permissions.values_list("pk", flat=True), beyond.pk]},
    )  # fmt: skip
    assert "bạn không có: auth.delete_user" in response.content.decode()
    assert not group.permissions.filter(pk=beyond.pk).exists()


def test_a_chief_editor_does_not_see_or_change_superusers(client):
    boss = User.objects.create_superuser("quantri", password="x")
    client.force_login(_chief())
    assert "quantri" not in client.get("/admin/auth/user/").content.decode()
    assert client.get(f"/admin/auth/user/{boss.pk}/change/").status_code in (302, 404)
    assert client.get(f"/admin/auth/user/{boss.pk}/password/").status_code in (302, 404)


def test_the_admin_can_live_at_another_address():
    code = (
        "import django; django.setup();"
        "from django.urls import reverse; print(reverse('admin:index'))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "NEWSROOM_ADMIN_PATH": "quan-tri-7f3a",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.stdout.strip() == "/quan-tri-7f3a/", out.stderr


@pytest.mark.parametrize("url", ["/", "/thoi-su/", "/admin/login/", "/rss/"])
def test_every_page_sends_a_strict_policy(client, url):
    factories.article(category=factories.category("Thời sự"))
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split("; ") if part
    )
    assert directives["script-src"] == ["'self'"], policy
    assert directives["frame-ancestors"] == ["'none'"] and "object-src" in directives
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_hsts_carries_subdomains_and_preload_when_asked(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    header = client.get("/", secure=True)["Strict-Transport-Security"]
    assert header == "max-age=31536000; includeSubDomains; preload"


def test_the_production_variables_of_the_readme_pass_check_deploy():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Production", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    exported = " ".join(
        line.strip().rstrip("\\").strip()
        for line in block.splitlines()
        if line.strip() and not line.strip().startswith(".venv")
    ).removeprefix("export ")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))
    }
    for assignment in exported.split():
        name, _, value = assignment.partition("=")
        env[name] = value
    env["DJANGO_SECRET_KEY"] = "k7#Qz!" + "rT9vW2xY4pL6mN8bC0dF" * 3
    env.pop("DATABASE_URL", None)  # the README's is a placeholder
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
