"""An import killed with SIGKILL leaves whole articles only, and a rerun completes."""

import importlib.util
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
N = 600


def _bench():
    spec = importlib.util.spec_from_file_location(
        "import_bench", ROOT / "bench" / "import_bench.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(db, timeout=10) as conn:
        return conn.execute(sql).fetchone()[0]


def migrated_site(tmp_path: Path, db: Path) -> tuple[dict, list[str]]:
    """A development site's environment on a fresh SQLite file, migrated, and
    the command that runs its manage.py."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("REDIS_URL", None)
    env.update(
        DJANGO_DEBUG="1",
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DATABASE_URL=f"sqlite:///{db}",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        NEWSROOM_GENERATION_FILE=str(tmp_path / "generation"),
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    return env, manage


def test_a_killed_import_leaves_no_half_written_article_and_a_rerun_completes(tmp_path):
    files = tmp_path / "wire"
    files.mkdir()
    _bench().write_files(files, N)  # 3 captions, 1 author, 2 related titles each
    db = tmp_path / "kill.sqlite3"
    env, manage = migrated_site(tmp_path, db)
    command = [*manage, "import_articles", str(files), "--status", "published"]
    run = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and run.poll() is None:
        try:
            if _count(db, "SELECT COUNT(*) FROM articles_article") > 0:
                break
        except sqlite3.OperationalError:
            pass
        time.sleep(0.01)
    run.send_signal(signal.SIGKILL)
    run.wait(10)
    written = _count(db, "SELECT COUNT(*) FROM articles_article")
    assert 0 < written < N, written  # killed in the middle
    # Every article there is whole: its byline, its three photos, its links.
    assert _count(db, "SELECT COUNT(*) FROM articles_articleauthor") == written
    assert _count(db, "SELECT COUNT(*) FROM articles_articlephoto") == 3 * written
    assert _count(db, "SELECT COUNT(*) FROM articles_photo") == 3 * written
    half = _count(
        db,
        "SELECT COUNT(*) FROM articles_article a WHERE NOT EXISTS "
        "(SELECT 1 FROM articles_articleauthor b WHERE b.article_id = a.id)",
    )
    assert half == 0

    rerun = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert (
        f"Tạo mới: {N - written} · Cập nhật: 0 · Bỏ qua (đã có): {written}"
        in rerun.stdout
    )
    assert _count(db, "SELECT COUNT(*) FROM articles_article") == N
    assert _count(db, "SELECT COUNT(*) FROM articles_articlephoto") == 3 * N
