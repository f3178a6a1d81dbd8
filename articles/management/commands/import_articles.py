"""``import_articles``: wire text and JSON Lines files into the newsroom."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles import text
from articles.importers import feeds, http, jsonl, newsml, ninjs, wire, wxr
from articles.importers.base import MAX_TEXT_BYTES, STATUSES, DraftError, parse_datetime
from articles.importers.loader import PHOTO_EXTENSIONS, Loader
from articles.services import refresh_statistics
from newsroom.site import site_url

# A JSON Lines file this large is read by other processes while this one
# writes (some 500 stories; a smaller one is over before they start).
PARALLEL_FROM = 2 * 1024 * 1024
MAX_READERS = 2

EXTENSIONS = {
    ".txt": "wire",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "wxr",  # or NewsML-G2: told apart by the root element
    ".json": "ninjs",
}


class Command(BaseCommand):
    help = (
        "Nhập bài từ tệp tin điện (.txt), JSON Lines (.jsonl), RSS/Atom (.rss, .atom, "
        "địa chỉ http hoặc --format feed), WordPress và NewsML-G2 (.xml), ninjs "
        "(.json hoặc --format ninjs): tệp, thư mục "
        "(đệ quy) hoặc - cho đầu vào chuẩn. Thoát 0 khi tất cả thành công, 1 khi "
        "có bài lỗi, 2 khi dùng sai lệnh."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "paths", nargs="+", metavar="PATH", help="tệp, thư mục hoặc -"
        )
        parser.add_argument(
            "--format",
            choices=["wire", "jsonl", "feed", "wxr", "ninjs", "newsml"],
            help="bỏ qua việc đoán theo đuôi tệp (feed: RSS/Atom, tệp hoặc địa chỉ http)",
        )
        parser.add_argument(
            "--photos",
            metavar="DIR",
            help="thư mục ảnh: <tên-tệp-bài>-1.jpg, -2.jpg… theo thứ tự chú thích",
        )
        parser.add_argument(
            "--status",
            choices=STATUSES[:3],
            help="trạng thái bài nhập (mặc định: theo tệp, nếu không có thì draft)",
        )
        parser.add_argument("--published-at", metavar="DATE", help="ISO 8601")
        parser.add_argument(
            "--category", help="chuyên mục cho tệp không có dòng chuyên mục"
        )
        parser.add_argument("--encoding", help="bảng mã của tệp, ví dụ cp1258")
        parser.add_argument(
            "--media",
            metavar="DIR",
            help="WordPress: thư mục ảnh (bản sao wp-content/uploads)",
        )
        parser.add_argument(
            "--pages", action="store_true", help="WordPress: nhập cả các trang (page)"
        )
        parser.add_argument(
            "--fix-mojibake",
            action="store_true",
            help="sửa văn bản bị mã hóa hai lần (“GiÃ¡o dá»¥c”) thay vì từ chối",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="đọc và kiểm tra, không ghi gì"
        )
        parser.add_argument(
            "--renditions-later",
            action="store_true",
            help="không tạo ảnh phái sinh sau khi nhập; để regenerate_renditions làm "
            "(trang hiện ảnh gốc cho đến khi đó)",
        )
        parser.add_argument(
            "--renditions-background",
            action="store_true",
            help="để công việc nền tạo ảnh phái sinh (db_worker hoặc rqworker), "
            "mỗi ảnh một việc",
        )
        parser.add_argument(
            "--update", action="store_true", help="nhập lại thì thay bài đã có"
        )
        parser.add_argument(
            "--jobs",
            type=int,
            metavar="N",
            help="JSON Lines: số tiến trình đọc bản ghi trong khi tiến trình này ghi "
            f"(mặc định: số nhân CPU trừ một, tối đa {MAX_READERS}, cho tệp từ "
            f"{PARALLEL_FROM // 1024 // 1024} MB, "
            "0 cho tệp nhỏ hơn; 0 = đọc ngay trong tiến trình này)",
        )
        parser.add_argument(
            "--site-url",
            metavar="URL",
            help="ninjs, NewsML-G2: địa chỉ của trang này; ảnh dưới media của nó là "
            "tệp đã lưu, không tải lại (mặc định: NEWSROOM_SITE_URL)",
        )

    def handle(self, *args, **options) -> None:
        published_at = None
        if options["published_at"]:
            try:
                published_at = parse_datetime(options["published_at"])
            except DraftError as exc:
                raise CommandError(
                    f"--published-at: {exc.reason}", returncode=2
                ) from None
        if options["encoding"]:
            try:
                "".encode(options["encoding"])
            except LookupError:
                raise CommandError(
                    f"--encoding: không biết bảng mã {options['encoding']!r}",
                    returncode=2,
                ) from None
        if options["jobs"] is not None and options["jobs"] < 0:
            raise CommandError("--jobs: phải là số không âm", returncode=2)
        if options["media"] and not Path(options["media"]).is_dir():
            raise CommandError(
                f"--media: {options['media']} không phải thư mục", returncode=2
            )
        photos = self._photo_index(options["photos"]) if options["photos"] else {}
        sources, empty_dirs = self._collect(options["paths"])

        loader = Loader(
            status=options["status"],
            published_at=published_at,
            update=options["update"],
            dry_run=options["dry_run"],
            expected=len(sources),
            renditions="background"
            if options["renditions_background"]
            else not options["renditions_later"],
        )
        for directory in empty_dirs:
            loader.summary.fail(
                directory, None, "thư mục không có tệp bài viết (.txt, .jsonl)"
            )
        tty = sys.stderr.isatty()
        progress = tqdm(
            total=len(sources),
            disable=not tty or len(sources) <= 5,
            file=sys.stderr,
            unit="tệp",
        )
        for name, path in sources:
            for draft, photo_files in self._drafts(name, path, photos, options, loader):
                outcome = loader.load(draft, photo_files)
                if options["dry_run"] and outcome != "failed":
                    verb = {"created": "sẽ tạo", "updated": "sẽ cập nhật"}.get(
                        outcome, "bỏ qua (đã có)"
                    )
                    self.stdout.write(f"{verb}: {draft.source} → {draft.title}")
            progress.update(1)
        progress.close()
        summary = loader.finish()
        if summary.created + summary.updated >= 100:
            refresh_statistics()
        self._report(summary, options["dry_run"])
        if summary.failed:
            raise CommandError(f"{summary.failed} lỗi khi nhập", returncode=1)

    # --- input --------------------------------------------------------------

    def _collect(
        self, paths: list[str]
    ) -> tuple[list[tuple[str, Path | None]], list[str]]:
        """Return the files to read, and the directories that had none."""
        sources: list[tuple[str, Path | None]] = []
        empty: list[str] = []
        for raw in paths:
            if raw == "-":
                sources.append(("<stdin>", None))
                continue
            if raw.startswith(("http://", "https://")):
                sources.append((raw, None))  # a feed's address (--format feed)
                continue
            path = Path(raw)
            if path.is_dir():
                found = sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in EXTENSIONS
                )
                if not found:
                    empty.append(raw)
                sources.extend((str(p), p) for p in found)
            elif path.is_file():
                sources.append((raw, path))
            else:
                raise CommandError(f"{raw}: không có tệp hay thư mục này", returncode=2)
        return sources, empty

    def _photo_index(self, directory: str) -> dict[str, dict[int, Path]]:
        """Map an article file's stem to its numbered photo files."""
        root = Path(directory)
        if not root.is_dir():
            raise CommandError(
                f"--photos {directory}: không phải thư mục", returncode=2
            )
        index: dict[str, dict[int, Path]] = {}
        for path in root.iterdir():
            if path.suffix.lower() not in PHOTO_EXTENSIONS:
                continue
            stem, _, number = path.stem.rpartition("-")
            if stem and number.isdigit():
                index.setdefault(stem, {})[int(number)] = path
        return index

    def _drafts(self, name, path, photos, options, loader) -> Iterator[tuple]:
        """Yield (draft, photo files) for each article of one source."""
        try:
            address = path is None and name.startswith(("http://", "https://"))
            fmt = options["format"] or ("feed" if address else self._format(path))
            if address and fmt != "feed":
                raise DraftError("từ một địa chỉ http chỉ đọc được nguồn tin RSS/Atom")
            if fmt == "feed":
                if address:
                    data = http.fetch(name).body
                else:
                    data = path.read_bytes() if path else sys.stdin.buffer.read()
                feeds.load(
                    data,
                    name,
                    loader,
                    category=options["category"] or "",
                    fix_mojibake=options["fix_mojibake"],
                )
                return
            if fmt == "wxr":
                yield from self._wxr(name, path, options, loader)
                return
            if fmt in ("ninjs", "newsml"):
                data = path.read_bytes() if path else sys.stdin.buffer.read()
                module = ninjs if fmt == "ninjs" else newsml
                items = module.parse(data, name, own_media=self._own_media(options))
                feeds.load_items(
                    items, name, loader, category=options["category"] or ""
                )
                return
            if fmt == "jsonl":
                stream = path.open("rb") if path else sys.stdin.buffer
                try:
                    items = jsonl.parse_lines(
                        stream,
                        name,
                        fix_mojibake=options["fix_mojibake"],
                        jobs=self._jobs(path, options),
                    )
                    # A chunk at a time: the loader knows of the stored
                    # stories only those the chunk may be (flat memory).
                    while chunk := list(islice(items, loader.batch_size)):
                        loader.window(
                            [i for i in chunk if not isinstance(i, DraftError)]
                        )
                        for item in chunk:
                            if isinstance(item, DraftError):
                                loader.summary.fail(name, item.line, item.reason)
                                continue
                            stem = item.external_id or text.slugify_vi(item.title)
                            try:
                                files = self._photos_for(stem, item, photos)
                            except DraftError as exc:
                                loader.summary.fail(item.source, None, exc.reason)
                                continue
                            yield item, files
                finally:
                    if path:
                        stream.close()
                return
            if path is not None and path.stat().st_size > MAX_TEXT_BYTES:
                size = path.stat().st_size / 1024 / 1024
                raise DraftError(
                    f"tệp quá lớn ({size:.1f} MB; một bài tối đa "
                    f"{MAX_TEXT_BYTES // 1024 // 1024} MB)".replace(".", ",", 1)
                )
            data = path.read_bytes() if path else sys.stdin.buffer.read()
            draft = wire.parse(
                data,
                name,
                encoding=options["encoding"],
                default_category=options["category"] or "",
                fix_mojibake=options["fix_mojibake"],
            )
            stem = path.stem if path else ""
            yield draft, self._photos_for(stem, draft, photos)
        except DraftError as exc:
            loader.summary.fail(name, exc.line, exc.reason)
        except OSError as exc:
            loader.summary.fail(name, None, f"không đọc được tệp ({exc.strerror})")

    @staticmethod
    def _jobs(path: Path | None, options) -> int:
        """Processes to read a JSON Lines source with (0: this one)."""
        if options["jobs"] is not None:
            return options["jobs"]
        if path is None or path.stat().st_size < PARALLEL_FROM:
            return 0
        # One core stays with this process (and the database, when local);
        # two readers outrun the one writer already.
        return max(1, min(MAX_READERS, (os.cpu_count() or 1) - 1))

    def _wxr(self, name, path, options, loader) -> Iterator[tuple]:
        data = path.read_bytes() if path else sys.stdin.buffer.read()
        media = Path(options["media"]) if options["media"] else None
        export = wxr.parse(data, name, media=media, pages=options["pages"])
        for item in export.drafts:
            if isinstance(item, DraftError):
                loader.summary.fail(name, None, item.reason)
            else:
                yield item, []
        for note in export.notes:
            loader.summary.warn(name, note)
        if export.skipped:
            left = ", ".join(f"{n} {what}" for what, n in export.skipped.items())
            loader.summary.warn(name, f"bỏ qua: {left}")

    def _own_media(self, options) -> str | None:
        """The address prefix of this site's stored media, if the site's address is known."""
        base = options["site_url"] or settings.NEWSROOM_SITE_URL
        if settings.MEDIA_URL.startswith(("http://", "https://")):
            return settings.MEDIA_URL
        if not base:
            return None
        return site_url(None, settings.MEDIA_URL, base=base)

    def _format(self, path: Path | None) -> str:
        if path is not None and path.suffix.lower() == ".xml":
            with path.open("rb") as fh:
                head = fh.read(4096)
            return (
                "newsml" if b"<newsMessage" in head or b"<newsItem" in head else "wxr"
            )
        if path is not None and path.suffix.lower() in EXTENSIONS:
            return EXTENSIONS[path.suffix.lower()]
        if path is None:
            # Standard input: look at the first character without losing it.
            data = sys.stdin.buffer.read()
            sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
            return (
                "jsonl"
                if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
                else "wire"
            )
        with path.open("rb") as fh:
            head = fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
        return "jsonl" if head.startswith(b"{") else "wire"

    def _photos_for(self, stem: str, draft, photos) -> list[Path]:
        files = photos.get(stem, {})
        if not files:
            return []
        slots = len(draft.photos)
        numbers = sorted(files)
        if numbers != list(range(1, len(numbers) + 1)):
            raise DraftError(f"ảnh của {stem} phải đánh số liền từ 1 (có: {numbers})")
        if len(numbers) > slots:
            raise DraftError(
                f"có {len(numbers)} ảnh {stem}-N trong --photos nhưng bài chỉ có "
                f"{slots} chú thích ảnh"
            )
        return [files[n] for n in numbers]

    # --- output -------------------------------------------------------------

    def _report(self, summary, dry_run: bool) -> None:
        for line in summary.failures:
            self.stderr.write(line)
        for line in summary.warnings:
            self.stderr.write(f"cảnh báo: {line}")
        head = "Chạy thử, không ghi gì. " if dry_run else ""
        self.stdout.write(
            f"{head}Tạo mới: {summary.created} · Cập nhật: {summary.updated} · "
            f"Bỏ qua (đã có): {summary.skipped} · Lỗi: {summary.failed}"
        )
        if summary.new_categories:
            self.stdout.write("Chuyên mục mới: " + ", ".join(summary.new_categories))
        if summary.new_authors:
            self.stdout.write("Tác giả mới: " + ", ".join(summary.new_authors))
        if summary.renditions:
            self.stdout.write(f"Ảnh phái sinh đã tạo cho: {summary.renditions} ảnh")
        if summary.unresolved:
            self.stdout.write(
                "Bài liên quan chưa tìm thấy (sẽ nối khi bài đó được nhập): "
                + "; ".join(summary.unresolved)
            )
