"""``backup_site DIR`` and ``backup_site --restore DIR``: the whole site, not an export.

A backup is the database as it is (users, revisions, bios, alt texts, every
library photo: all of it) and the media files:

- SQLite: SQLite's online backup (the site may keep running), into
  ``DIR/database.sqlite3``;
- PostgreSQL: ``pg_dump --format=custom`` into ``DIR/database.pgdump``,
  restored with ``pg_restore --clean``;
- media on the local disk: ``DIR/media.tar``. Media on object storage are
  left to the store's own versioning or replication.

``DIR/manifest.json`` says what is there. A restore replaces the database
and puts the media back; it refuses a backup of the other database kind.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.utils import timezone

from newsroom import edge, pagecache

FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class Command(BaseCommand):
    help = (
        "Sao lưu cả trang (cơ sở dữ liệu và ảnh) vào thư mục DIR, hoặc khôi phục "
        "từ đó với --restore."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", metavar="DIR")
        parser.add_argument(
            "--restore", action="store_true", help="khôi phục từ bản sao lưu"
        )

    def handle(self, *args, folder: str, restore: bool, **options) -> None:
        vendor = connection.vendor
        if vendor not in FILES:
            raise CommandError(f"không sao lưu được cơ sở dữ liệu {vendor}")
        root = Path(folder)
        if restore:
            self._restore(root, vendor)
        else:
            self._backup(root, vendor)

    # --- backup -----------------------------------------------------------------

    def _backup(self, root: Path, vendor: str) -> None:
        if root.exists() and any(root.iterdir()):
            raise CommandError(f"{root}: thư mục đã có tệp; hãy chọn thư mục trống")
        root.mkdir(parents=True, exist_ok=True)
        target = root / FILES[vendor]
        if vendor == "sqlite":
            connection.ensure_connection()
            copy = sqlite3.connect(target)
            try:
                connection.connection.backup(copy)
            finally:
                copy.close()
        else:
            self._run(["pg_dump", "--format=custom", "--file", str(target)])
        media = self._media_root()
        if media is not None and media.exists():
            with tarfile.open(root / "media.tar", "w") as tar:
                tar.add(media, arcname="media")
        manifest = {
            "database": vendor,
            "created_at": timezone.localtime().isoformat(),
            "media": media is not None,
        }
        (root / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False))
        self.stdout.write(
            f"Đã sao lưu vào {root}: {', '.join(sorted(os.listdir(root)))}"
        )

    # --- restore ----------------------------------------------------------------

    def _restore(self, root: Path, vendor: str) -> None:
        try:
            manifest = json.loads((root / "manifest.json").read_text())
        except (OSError, ValueError):
            raise CommandError(
                f"{root}: không có bản sao lưu (thiếu manifest.json)"
            ) from None
        if manifest.get("database") != vendor:
            raise CommandError(
                f"{root}: bản sao lưu của {manifest.get('database')}, "
                f"không khôi phục được vào {vendor}"
            )
        source = root / FILES[vendor]
        for alias in connections:
            connections[alias].close()
        if vendor == "sqlite":
            backup = sqlite3.connect(source)
            live = sqlite3.connect(connection.settings_dict["NAME"])
            try:
                backup.backup(live)
            finally:
                backup.close()
                live.close()
        else:
            if hasattr(connection, "close_pool"):
                connection.close_pool()
            self._run(
                ["pg_restore", "--clean", "--if-exists", "--no-owner", str(source)],
                database_flag="--dbname",
            )
        media = self._media_root()
        if (root / "media.tar").exists() and media is not None:
            if media.exists():
                shutil.rmtree(media)
            media.parent.mkdir(parents=True, exist_ok=True)
            with tarfile.open(root / "media.tar") as tar:
                extracted = media.parent / "media"
                tar.extractall(media.parent, filter="data")
                if extracted != media:
                    extracted.rename(media)
        pagecache.bump()  # every cached page is of the database that was replaced
        edge.purge_after_commit({edge.ALL})
        self.stdout.write(
            f"Đã khôi phục từ {root} (sao lưu lúc {manifest['created_at']})"
        )

    # --- helpers ------------------------------------------------------------------

    @staticmethod
    def _media_root() -> Path | None:
        if isinstance(default_storage, FileSystemStorage):
            return Path(settings.MEDIA_ROOT)
        return None

    def _run(self, command: list[str], database_flag: str = "--dbname") -> None:
        db = connection.settings_dict
        env = dict(os.environ)
        if db.get("PASSWORD"):
            env["PGPASSWORD"] = db["PASSWORD"]
        args = [*command, database_flag, db["NAME"]]
        for flag, key in (
            ("--host", "HOST"),
            ("--port", "PORT"),
            ("--username", "USER"),
        ):
            if db.get(key):
                args += [flag, str(db[key])]
        result = subprocess.run(args, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            last = (result.stderr.strip().splitlines() or ["?"])[-1]
            raise CommandError(f"{command[0]} thất bại: {last}")
