"""Prepare a development site: a demo editor account and a living front page:
the sample story and thirty demo stories in five sections, with photos."""

import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from articles import demo
from articles.choices import Status
from articles.models import Article, Category

DEMO_USERNAME = "bientap"
DEMO_PASSWORD = "toasoan-demo"


class Command(BaseCommand):
    help = "Tạo tài khoản biên tập thử và nạp bài mẫu, bài minh họa (chỉ dùng khi phát triển)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "setup_demo chỉ chạy khi DJANGO_DEBUG=1: tài khoản thử có mật khẩu công khai."
            )
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={"is_staff": True, "is_superuser": True, "first_name": "Biên tập"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        # Demo content goes in the way operators' content does: the importer.
        # Re-running is a no-op: the importer skips what is already there.
        call_command(
            "import_articles",
            str(settings.BASE_DIR / "samples"),
            status=Status.PUBLISHED,
            published_at="2023-11-10T17:30:00+07:00",
            stdout=self.stdout,
            stderr=self.stderr,
        )
        if not Article.objects.filter(external_id__startswith="demo-").exists():
            with tempfile.TemporaryDirectory() as folder:
                demo.write_stories(Path(folder))
                call_command(
                    "import_articles",
                    folder,
                    photos=str(Path(folder) / "anh"),
                    stdout=self.stdout,
                    stderr=self.stderr,
                )
            # The menu in the editors' order, as a newsroom would set it.
            for order, (name, _colour) in enumerate(demo.SECTIONS):
                Category.objects.filter(name=name, parent=None).update(order=order)
        self.stdout.write(
            self.style.SUCCESS(
                "Tài khoản biên tập thử / demo editor login: "
                f"{DEMO_USERNAME} / {DEMO_PASSWORD}  →  /{settings.NEWSROOM_ADMIN_PATH} "
                "trên máy chủ vừa chạy"
            )
        )
