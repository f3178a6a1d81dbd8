"""Measure import_articles on N generated wire files (default 10,000).

Usage: .venv/bin/python bench/import_bench.py [N] [--keep]

Writes N wire-text files shaped like the sample (front matter, location,
lead, 10 paragraphs, 3 captioned photos, byline, "Xem thêm" linking to
earlier stories) into a temporary folder, imports them into a fresh database
(a temporary SQLite file unless DATABASE_URL is set) and prints the time and
the rate. Not a test: run it by hand and quote the figures in the README.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ["Chính phủ hành động", "Thời sự", "Kinh tế", "Xã hội", "Địa phương"]
PLACES = ["Bến Tre", "Hà Nội", "Đà Nẵng", "Cần Thơ", "Huế", "Quảng Ninh"]
AUTHORS = ["Công Trí", "Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng", "Phạm Thu Hà"]
WORDS = (
    "cải cách hành chính tỉnh đoàn kiểm tra chính phủ thủ tục người dân doanh nghiệp "
    "chuyển đổi số kết quả nhiệm vụ triển khai đánh giá nâng cao hiệu quả công tác"
).split()


def paragraph(rng: random.Random, n: int = 45) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return (" ".join(words)).capitalize() + "."


def title(i: int, rng: random.Random) -> str:
    return f"{paragraph(rng, 10)[:-1]} số {i}"


def write_files(folder: Path, n: int) -> None:
    rng = random.Random(42)
    titles = [title(i, rng) for i in range(n)]
    for i in range(n):
        body = []
        for p in range(10):
            if p in (0, 4, 8):
                body.append(f"{paragraph(rng, 12)} (Ảnh: Công trí/TTXVN)")
            body.append(("TTXVN - " if p == 0 else "") + paragraph(rng))
        related = [titles[j] for j in rng.sample(range(n), 2)]
        blocks = [
            "---",
            f"external_id: bench-{i}",
            f"published_at: 2023-{1 + i % 12:02d}-{1 + i % 28:02d}T08:00:00+07:00",
            "---",
            "",
            rng.choice(SECTIONS),
            titles[i],
            rng.choice(PLACES),
            paragraph(rng, 30),
            *body,
            rng.choice(AUTHORS),
            "Xem thêm",
            *related,
        ]
        text = "\n".join(blocks[:5]) + "\n\n".join(blocks[5:]) + "\n"
        (folder / f"bai-{i:05d}.txt").write_text(text, encoding="utf-8")


def main() -> None:
    n = int(next((a for a in sys.argv[1:] if a.isdigit()), "10000"))
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as tmp:
        tmp_path = Path(tmp)
        files = tmp_path / "wire"
        files.mkdir()
        write_files(files, n)
        env = dict(os.environ)
        env.setdefault("DJANGO_DEBUG", "1")
        env.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'bench.sqlite3'}")
        env["DJANGO_MEDIA_ROOT"] = str(tmp_path / "media")
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        start = time.perf_counter()
        subprocess.run(
            [*manage, "import_articles", str(files), "--status", "published"],
            env=env,
            check=True,
        )
        elapsed = time.perf_counter() - start
        db = env["DATABASE_URL"].split(":", 1)[0]
        print(
            f"imported {n} wire files into {db} in {elapsed:.1f} s "
            f"= {n / elapsed:.0f} articles/s (incl. process start and the summary)"
        )
        start = time.perf_counter()
        subprocess.run(
            [*manage, "import_articles", str(files)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        again = time.perf_counter() - start
        print(f"re-import of the same {n} files (all skipped): {again:.1f} s")


if __name__ == "__main__":
    main()
