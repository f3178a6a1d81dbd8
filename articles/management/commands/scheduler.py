"""The scheduler: purges at a scheduled story's time, and polls the feeds."""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from articles import schedule


class Command(BaseCommand):
    help = (
        "Chạy nền: mỗi NEWSROOM_SCHEDULER_SECONDS giây xoá khỏi bộ đệm biên "
        "(Varnish, CDN) các trang liệt kê bài vừa đến giờ đăng hoặc hết giờ ghim, "
        "và mỗi NEWSROOM_FEED_POLL_SECONDS giây giao việc đọc các nguồn tin RSS/Atom."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="chạy một lượt rồi thoát (cron)"
        )
        parser.add_argument(
            "--since-minutes",
            type=int,
            default=10,
            help="lượt đầu xét các bài đến giờ trong chừng ấy phút trước (mặc định 10)",
        )

    def handle(self, *args, **options) -> None:
        from articles.tasks import poll_feeds
        from newsroom import jobs

        since = timezone.now() - timedelta(minutes=options["since_minutes"])
        next_poll = time.monotonic()
        while True:
            now = timezone.now()
            tags, stories = schedule.tick(since, now)
            if tags or stories:
                self.stdout.write(
                    f"{now:%H:%M:%S}: xoá {len(stories)} bài, {len(tags)} thẻ"
                )
            since = now
            if settings.NEWSROOM_FEED_POLL_SECONDS and time.monotonic() >= next_poll:
                jobs.enqueue(poll_feeds)
                next_poll = time.monotonic() + settings.NEWSROOM_FEED_POLL_SECONDS
            if options["once"]:
                return
            close_old_connections()
            time.sleep(settings.NEWSROOM_SCHEDULER_SECONDS)
