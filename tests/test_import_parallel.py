"""A JSON Lines import reads records ahead (``importers/ready.py``, ``--jobs``):
the stories it writes, and the errors it names, are those of a plain read."""

import io
import json
import re
import unicodedata

import pytest
from django.core.management import call_command
from PIL import Image

from articles.importers import jsonl
from articles.models import Article, Photo

from .test_import_export import _empty_database, export, run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _records(media) -> list[dict]:
    (media / "kho").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 48), "blue").save(media / "kho" / "a.jpg", "JPEG")
    nfd = unicodedata.normalize("NFD", "Đoàn kiểm tra Bến Tre")
    return [
        {
            "external_id": "giau-1",
            "category": {"name": "Chính phủ hành động", "parent": None},
            "title": f"  {nfd}\u00a0số   1 ",
            "location": " Bến\u00a0Tre ",
            "lead": "Sapo có\tkhoảng trắng\u00a0lạ và “ngoặc kép”.",
            "authors": ["Công Trí", {"name": "Trần Thị Bình"}],
            "tags": ["Cải cách", "Bến Tre"],
            "body": [
                {
                    "type": "photo",
                    "caption": "Đoàn làm việc.",
                    "credit": "Công Trí/TTXVN",
                    "image": "kho/a.jpg",
                },
                {
                    "type": "paragraph",
                    "html": 'Có <strong>đậm</strong>, <a href="https://chinhphu.vn/" '
                    'onclick="x()">liên kết</a> &amp; <script>alert(1)</script>'
                    f"{nfd}.",
                },
                {"type": "heading", "level": 2, "html": "Tiêu đề <em>phụ</em>"},
                {"type": "photo", "caption": "Ảnh chưa có tệp.", "image": None},
                {"type": "list", "html": "<ul><li>Một</li><li>Hai</li></ul>"},
                {"type": "quote", "html": "<p>Trích dẫn.</p>"},
                {"type": "paragraph", "text": "Văn bản <thường> & rõ."},
                {"type": "photo", "caption": "Lại ảnh đầu.", "image": "kho/a.jpg"},
            ],
            "status": "published",
            "published_at": "2023-11-10T17:30:00+07:00",
        },
        {
            # Source HTML that looks like a photo's place: saved the plain way.
            "external_id": "giau-2",
            "category": "Thời sự",
            "title": "Bài có mã ảnh giả",
            "body": [
                {
                    "type": "paragraph",
                    "html": '<span data-photo-id="9000000000000000000">x</span>',
                },
                {"type": "photo", "caption": "Ảnh.", "image": "kho/a.jpg"},
            ],
        },
        {"external_id": "giau-3", "category": "Thời sự", "title": "Chỉ có tiêu đề"},
    ]


def _rows() -> list[dict]:
    """Each article as stored, its photos' ids as their places in the body."""
    rows = []
    for article in Article.objects.order_by("external_id"):
        places = {}

        def place(match, places=places):
            return f'data-photo-id="#{places.setdefault(match.group(1), len(places))}"'

        rows.append(
            {
                "title": article.title,
                "slug": article.slug,
                "lead": article.lead,
                "location": article.location,
                "body": re.sub(r'data-photo-id="(\d+)"', place, article.body),
                "search_title": article.search_title,
                "search_lead": article.search_lead,
                "search_text": article.search_text,
                "search_names": article.search_names,
                "featured": article.featured_photo.caption
                if article.featured_photo
                else None,
                "photos": [
                    (p.caption, p.credit, p.image.name)
                    for p in Photo.objects.filter(
                        articlephoto__article=article
                    ).order_by("articlephoto__order")
                ],
            }
        )
    return rows


def test_a_story_read_ahead_is_stored_as_a_plain_save_stores_it(
    tmp_path, media, monkeypatch
):
    path = tmp_path / "bai.jsonl"
    records = _records(media)
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n",
        encoding="utf-8",
    )
    drafts = list(jsonl.parse_lines(path.open("rb"), "bai.jsonl"))
    # The rich story and the bare one come ready; the look-alike does not.
    assert [d.ready is not None for d in drafts] == [True, False, True]

    plain_path = []
    folded = Article.folded_text
    monkeypatch.setattr(
        Article,
        "folded_text",
        lambda self: plain_path.append(self.title) or folded(self),
    )
    code, _, err = run(path, jobs=0)
    assert code == 0, err
    assert plain_path == ["Bài có mã ảnh giả"]  # the others took the ready text
    ahead = _rows()

    _empty_database()
    monkeypatch.setattr(jsonl, "ready_for", lambda draft: None)
    code, _, err = run(path, jobs=0)
    assert code == 0, err
    plain = _rows()
    assert len(plain_path) == 4  # now every story was saved the plain way

    assert ahead == plain
    rich = ahead[0]
    assert rich["title"] == "Đoàn kiểm tra Bến Tre số 1"
    assert unicodedata.is_normalized("NFC", rich["body"])
    assert "<script" not in rich["body"] and "onclick" not in rich["body"]
    assert rich["search_title"] == "doan kiem tra ben tre so 1"
    assert "cong tri" in rich["search_text"] and "ben tre" in rich["search_text"]
    assert [p[0] for p in rich["photos"]] == [
        "Đoàn làm việc.",
        "Ảnh chưa có tệp.",
        "Lại ảnh đầu.",
    ]


def test_readers_in_processes_give_the_same_stories_and_errors(tmp_path, media):
    (media / "kho").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 48), "red").save(media / "kho" / "b.jpg", "JPEG")
    lines = []
    for i in range(150):  # several chunks of lines for each process
        lines.append(
            json.dumps(
                {
                    "external_id": f"bai-{i}",
                    "category": ["Thời sự", "Kinh tế"][i % 2],
                    "title": f"Bài số {i} về cải cách",
                    "lead": f"Sapo {i}.",
                    "authors": ["Công Trí"],
                    "body": [
                        {"type": "paragraph", "html": f"Đoạn <b>{i}</b>."},
                        {"type": "photo", "caption": f"Ảnh {i}.", "image": "kho/b.jpg"},
                    ],
                    "status": "published",
                    "published_at": "2023-11-10T17:30:00+07:00",
                },
                ensure_ascii=False,
            )
        )
    lines[10] = "{hỏng"
    lines[40] = ""
    lines[70] = json.dumps({"title": "x" * 600, "category": "Thời sự"})
    lines[99] = json.dumps({"title": "Thiếu ảnh", "category": "Thời sự",
                            "body": [{"type": "photo", "caption": "c",
                                      "image": "kho/khong-co.jpg"}]})  # fmt: skip
    lines[120] = "GiÃ¡o dá»¥c".join(['{"title": "', '", "category": "Thời sự"}'])
    path = tmp_path / "bai.jsonl"
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")

    results = []
    for jobs in (0, 2):
        _empty_database()
        code, out, err = run(path, jobs=jobs)
        results.append((code, err.splitlines(), export()))
    (code0, err0, stories0), (code2, err2, stories2) = results
    assert code2 == code0 == 1
    assert err2 == err0
    for number in (11, 71, 100, 121):
        assert any(line.startswith(f"{path}:{number}: ") for line in err0), number
    assert len(stories2) == len(stories0) == 145
    comparable = [{k: v for k, v in s.items() if k not in ("id", "url", "updated_at")}
                  for s in stories0]  # fmt: skip
    assert [
        {k: v for k, v in s.items() if k not in ("id", "url", "updated_at")}
        for s in stories2
    ] == comparable


def test_a_negative_number_of_readers_is_bad_usage(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"title": "Một", "category": "Thời sự"}) + "\n")
    err = io.StringIO()
    with pytest.raises(Exception) as caught:
        call_command("import_articles", str(path), jobs=-1, stderr=err)
    assert caught.value.returncode == 2
    assert "--jobs" in str(caught.value)
    assert not Article.objects.exists()


def test_a_long_stream_keeps_only_a_chunk_of_keys_and_still_matches_across_chunks(
    tmp_path, monkeypatch
):
    from articles.importers import index, loader

    monkeypatch.setattr(loader.Loader, "batch_size", 10)
    held = []
    window = index.Index.window

    def spy(self, keys, bases):
        held.append(len(self.hash_of) + len(self.by_external_id) + len(self._asked))
        window(self, keys, bases)

    monkeypatch.setattr(index.Index, "window", spy)
    records = [
        {
            "external_id": f"dong-{i}",
            "category": "Thời sự",
            "title": "Cùng một tiêu đề" if i % 5 == 0 else f"Bài {i}",  # 2 a chunk
        }
        for i in range(100)
    ]
    records.append(dict(records[3]))  # line 4 again, nine chunks later
    path = tmp_path / "dai.jsonl"
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n",
        encoding="utf-8",
    )
    code, out, err = run(path, jobs=0)
    assert code == 0, err
    assert "Tạo mới: 100" in out and "Bỏ qua (đã có): 1" in out
    assert len(held) == 11 and max(held) <= 3 * 10  # a chunk's keys, not 100
    slugs = Article.objects.filter(title="Cùng một tiêu đề").values_list(
        "slug", flat=True
    )
    assert sorted(slugs) == sorted(
        ["cung-mot-tieu-de"] + [f"cung-mot-tieu-de-{n}" for n in range(2, 21)]
    )

    held.clear()
    code, out, err = run(path, jobs=0)  # again: every story is known
    assert "Tạo mới: 0" in out and "Bỏ qua (đã có): 101" in out
    assert Article.objects.count() == 100


def test_readers_by_default_only_for_a_large_file(tmp_path, monkeypatch):
    from articles.management.commands import import_articles as command

    small, large = tmp_path / "nho.jsonl", tmp_path / "lon.jsonl"
    small.write_text("{}\n")
    with large.open("wb") as out:
        out.truncate(command.PARALLEL_FROM)
    jobs = command.Command._jobs
    for cores, readers in ((1, 1), (2, 1), (3, 2), (32, 2)):
        monkeypatch.setattr(command.os, "cpu_count", lambda cores=cores: cores)
        assert jobs(large, {"jobs": None}) == readers
        assert jobs(small, {"jobs": None}) == 0
        assert jobs(None, {"jobs": None}) == 0  # standard input
        assert jobs(large, {"jobs": 0}) == 0 and jobs(small, {"jobs": 3}) == 3


def test_readers_end_when_the_import_is_killed(tmp_path):
    import os
    import signal
    import subprocess
    import time
    from pathlib import Path

    from .test_import_kill import ROOT as root
    from .test_import_kill import migrated_site

    path = tmp_path / "lon.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i in range(20_000):
            record = {"external_id": f"k-{i}", "category": "Thời sự",
                      "title": f"Bài số {i}", "lead": "Sapo. " * 20}  # fmt: skip
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    env, manage = migrated_site(tmp_path, tmp_path / "kill.sqlite3")
    run = subprocess.Popen(
        [*manage, "import_articles", str(path), "--jobs", "1"],
        env=env,
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def children() -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == run.pid:
                found.append(int(entry.name))
        return found

    deadline = time.monotonic() + 60
    readers = []
    while time.monotonic() < deadline and run.poll() is None:
        readers = [
            pid
            for pid in children()
            # forked readers, or spawned ones; not the resource tracker
            if b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
        if readers:
            break
        time.sleep(0.05)
    assert readers, "the import started no reading process"
    time.sleep(1)  # reading under way
    run.send_signal(signal.SIGKILL)
    run.wait(10)

    def alive(pid: int) -> bool:  # a zombie waiting to be reaped has ended
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return False
        return stat.rsplit(")", 1)[1].split()[0] != "Z"

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(pid) for pid in readers):
        time.sleep(0.1)
    left = [pid for pid in readers if alive(pid)]
    for pid in left:  # do not leave them behind even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not left, "reading processes outlived the killed import"
