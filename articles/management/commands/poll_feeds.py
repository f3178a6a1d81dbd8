"""Read every active RSS/Atom feed and import what is new (cron or a worker)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from articles.importers import feeds
from articles.importers.loader import Loader
from articles.models import Feed


class Command(BaseCommand):
    help = (
        "Đọc các nguồn tin RSS/Atom đang bật (Quản trị › Nguồn tin RSS/Atom) và "
        "nhập bài mới; nguồn không đổi (304) không phải đọc lại. Chạy từ cron, "
        "ví dụ mỗi 5 phút. Thoát 1 khi có nguồn hoặc bài lỗi."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--fix-mojibake", action="store_true")

    def handle(self, *args, **options) -> None:
        failed = 0
        rows = Feed.objects.filter(active=True).select_related("section")
        for row in rows:
            loader = Loader(status=row.status)
            result = feeds.poll(row, loader, fix_mojibake=options["fix_mojibake"])
            loader.finish()
            for line in loader.summary.failures:
                self.stderr.write(line)
            for line in loader.summary.warnings:
                self.stderr.write(f"cảnh báo: {line}")
            failed += loader.summary.failed
            self.stdout.write(f"{row.name}: {result}")
        if failed:
            raise CommandError(f"{failed} lỗi khi đọc nguồn tin", returncode=1)
