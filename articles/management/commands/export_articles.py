"""``export_articles``: every article as a JSON record, one per line."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.importers.base import STATUSES, DraftError, parse_datetime
from articles.models import Article, Category
from articles.records import iter_records


class Command(BaseCommand):
    help = "Xuất bài ra JSON Lines (một bản ghi mỗi dòng), đọc dần, bộ nhớ không đổi."

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

        if not options["output"]:
            for record in iter_records(articles):
                self.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
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
        count = 0
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
                for record in iter_records(articles):
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
                    count += 1
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        self.stderr.write(f"Đã xuất {count} bài vào {target}")
