"""Measure import_articles on N generated stories (default 10,000).

Usage: .venv/bin/python bench/import_bench.py [N] [--jsonl [--images=K] [--rows-only]]

Writes N wire-text files shaped like the sample (front matter, location,
lead, 10 paragraphs, 3 captioned photos, byline, "Xem thêm" linking to
earlier stories) into a temporary folder, imports them into a fresh database
(a temporary SQLite file unless DATABASE_URL is set) and prints the time and
the rate. With ``--jsonl`` the stories are JSON Lines records with 3 photos
each, drawn from K generated 1600×1067 JPEGs (200 by default) already in the
media folder; the import writes the rows (``--renditions-later``) and
``regenerate_renditions`` then makes the renditions, each timed (not with
``--rows-only``, which also skips the re-import). Not a test:
run it by hand and quote the figures in the README.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from site_bench import server_env  # noqa: E402

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


def make_images(folder: Path, k: int) -> list[str]:
    """K photographs' worth of JPEGs (1600×1067, gradients and shapes, seeded)."""
    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    names = []
    for i in range(k):
        img = Image.linear_gradient("L").resize((1600, 1067)).convert("RGB")
        draw = ImageDraw.Draw(img)
        for _ in range(40):
            x, y = rng.randrange(1600), rng.randrange(1067)
            r = rng.randrange(20, 200)
            colour = tuple(rng.randrange(256) for _ in range(3))
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        name = f"anh-{i:04d}.jpg"
        img.save(folder / name, "JPEG", quality=85)
        names.append(name)
    return names


def write_records(path: Path, n: int, images: list[str]) -> None:
    """N JSON Lines records (docs/formats/article-json.md), 3 photos each."""
    rng = random.Random(42)
    titles = [title(i, rng) for i in range(n)]
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            body = []
            for p in range(10):
                if p in (0, 4, 8):
                    body.append(
                        {
                            "type": "photo",
                            "caption": paragraph(rng, 12),
                            "credit": "Công Trí/TTXVN",
                            "image": f"kho/{rng.choice(images)}",
                        }
                    )
                body.append({"type": "paragraph", "html": paragraph(rng)})
            record = {
                "external_id": f"bench-{i}",
                "category": rng.choice(SECTIONS),
                "title": titles[i],
                "location": rng.choice(PLACES),
                "lead": paragraph(rng, 30),
                "authors": [rng.choice(AUTHORS)],
                "tags": [rng.choice(PLACES)],
                "body": body,
                "status": "published",
                "published_at": f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}T08:00:00+07:00",
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


# Runs a command and prints the peak RSS (kB) of it and its processes. A
# child forked by this bench would count this process's pages (a million
# titles) in its peak until it execs; a small launcher forks nearly nothing.
LAUNCHER = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)"
)
PEAK_KB = [0]


def run_timed(command: list[str], env: dict, quiet: bool = False) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *command],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - start
    *messages, peak = done.stderr.rstrip("\n").split("\n")
    if messages:
        print("\n".join(messages), file=sys.stderr)
    PEAK_KB[0] = max(PEAK_KB[0], int(peak))
    return elapsed


def main() -> None:
    args = sys.argv[1:]
    n = int(next((a for a in args if a.isdigit()), "10000"))
    kind = "jsonl" if "--jsonl" in args else "wire"
    k = int(next((a.split("=", 1)[1] for a in args if a.startswith("--images=")), 200))
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as tmp:
        tmp_path = Path(tmp)
        # Production settings (DEBUG off: Django then keeps no query log).
        env = server_env(tmp_path)
        manage = [sys.executable, str(ROOT / "manage.py")]
        db = env["DATABASE_URL"].split(":", 1)[0]
        if kind == "wire":
            source = tmp_path / "wire"
            source.mkdir()
            write_files(source, n)
        else:
            images = make_images(tmp_path / "media" / "kho", k)
            source = tmp_path / "bai.jsonl"
            write_records(source, n, images)
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        command = [*manage, "import_articles", str(source), "--status", "published"]
        if kind == "jsonl":
            command.append("--renditions-later")
        command += [a for a in args if a.startswith("--jobs=")]
        elapsed = run_timed(command, env)
        peak = PEAK_KB[0] / 1024  # the import and its readers, not this bench
        what = "wire files" if kind == "wire" else "JSON Lines records, 3 photos each,"
        print(
            f"imported {n} {what} into {db} in {elapsed:.1f} s "
            f"= {n / elapsed:.0f} articles/s (process start and the summary "
            f"included; peak RSS {peak:.0f} MB)"
        )
        if "--rows-only" in args:
            return
        if kind == "jsonl":
            made = run_timed([*manage, "regenerate_renditions"], env)
            print(
                f"renditions of the {k} images (5 widths, WebP + JPEG, "
                f"{os.cpu_count()} processes): {made:.1f} s; rows and renditions "
                f"together: {n / (elapsed + made):.0f} articles/s"
            )
        again = run_timed(command, env, quiet=True)
        print(f"re-import of the same {n} (all skipped): {again:.1f} s")


if __name__ == "__main__":
    main()
