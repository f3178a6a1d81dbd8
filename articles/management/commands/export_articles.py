"""``export_articles``: articles as JSON records, ninjs or NewsML-G2, streamed."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles.importers import newsml, ninjs
from articles.importers.base import STATUSES, DraftError, parse_datetime
from articles.models import Article, Category
from articles.records import iter_records, iter_with_photos
from newsroom.site import site_url


class Command(BaseCommand):
    help = (
        "Xuất bài ra JSON Lines (một bản ghi mỗi dòng), ninjs 2.2 (mỗi dòng một đối "
        "tượng) hoặc NewsML-G2 (một newsMessage); đọc dần, bộ nhớ không đổi."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--status", action="append", choices=STATUSES, help="lặp lại để chọn nhiều"
        )
        parser.add_argument(
            "--category", metavar="SLUG", help="chuyên mục và chuyên mục con"
        )
        parser.add_argument(
            "--since", metavar="DATE", help="cập nhật từ ngày này (ISO 8601)"
        )
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="mặc định: đầu ra chuẩn"
        )
        parser.add_argument(
            "--format", choices=["jsonl", "ninjs", "newsml"], default="jsonl"
        )
        parser.add_argument(
            "--site-url",
            metavar="URL",
            help="địa chỉ trang cho liên kết tuyệt đối của ninjs và NewsML-G2 "
            "(mặc định: NEWSROOM_SITE_URL)",
        )

    def handle(self, *args, **options) -> None:
        articles = Article.objects.all()
        if options["status"]:
            articles = articles.filter(status__in=options["status"])
        if options["category"]:
            category = Category.objects.filter(slug=options["category"]).first()
            if category is None:
                raise CommandError(
                    f"--category: không có chuyên mục {options['category']!r}",
                    returncode=2,
                )
            articles = articles.in_category(category)
        if options["since"]:
            try:
                articles = articles.filter(
                    updated_at__gte=parse_datetime(options["since"])
                )
            except DraftError as exc:
                raise CommandError(f"--since: {exc.reason}", returncode=2) from None

        write = self._writer(options)
        if not options["output"]:
            write(articles, self.stdout)
            return
        # Written beside the target and renamed at the end: a failed export
        # never leaves a half-written file where a good one was expected.
        target = Path(options["output"])
        try:
            fd, temp = tempfile.mkstemp(
                prefix=f".{target.name}.", dir=target.parent or "."
            )
        except OSError as exc:
            raise CommandError(
                f"-o {target}: không ghi được vào thư mục này ({exc.strerror})",
                returncode=2,
            ) from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
                count = write(articles, out)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        self.stderr.write(f"Đã xuất {count} bài vào {target}")

    def _writer(self, options):
        """Return ``write(articles, out) -> count`` for the chosen format."""
        fmt = options["format"]
        if fmt == "jsonl":

            def write(articles, out) -> int:
                count = 0
                for record in iter_records(articles):
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
                    count += 1
                return count

            return write
        base = options["site_url"] or settings.NEWSROOM_SITE_URL
        if not base.startswith(("http://", "https://")):
            raise CommandError(
                f"--format {fmt}: cần địa chỉ trang cho liên kết tuyệt đối "
                "(--site-url https://… hoặc NEWSROOM_SITE_URL)",
                returncode=2,
            )

        def absolute(path: str) -> str:
            return site_url(None, path, base=base)

        if fmt == "newsml":
            return lambda articles, out: newsml.write_message(
                iter_with_photos(articles), out, absolute, timezone.now()
            )

        def write_ninjs(articles, out) -> int:
            count = 0
            for record, photos in iter_with_photos(articles):
                item = ninjs.from_record(record, photos, absolute)
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
                count += 1
            return count

        return write_ninjs
