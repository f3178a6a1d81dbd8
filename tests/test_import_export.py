"""``import_articles`` and ``export_articles``: the loader, the command, the round trip."""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.files import File
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image

from articles.models import Article, Author, Category, PendingRelation, Photo

from . import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "ben-tre-cai-cach-hanh-chinh.txt"
SAMPLE_TITLE = "Ban Chỉ đạo cải cách hành chính của Chính phủ kiểm tra tại Bến Tre"


def run(*args, stdin: str | None = None, **options):
    """Run import_articles; return (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        import sys

        old = sys.stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()), encoding="utf-8")
    try:
        call_command(
            "import_articles", *map(str, args), stdout=out, stderr=err, **options
        )
        code = 0
    except CommandError as exc:
        code = exc.returncode
        err.write(str(exc))
    finally:
        if stdin is not None:
            sys.stdin = old
    return code, out.getvalue(), err.getvalue()


def export(**options) -> list[dict]:
    out = io.StringIO()
    call_command("export_articles", stdout=out, **options)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def write(path: Path, *blocks: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return path


def story(title: str, *extra: str, category: str = "Thời sự") -> list[str]:
    return [category, title, f"Sapo của bài {title}.", f"Thân bài của {title}.", *extra]


def jpeg(path: Path, size=(64, 48)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, "red").save(path, "JPEG")
    return path


def test_sample_imports_to_exactly_the_specified_record():
    code, out, err = run(
        SAMPLE, status="published", published_at="2023-11-10T17:30:00+07:00"
    )
    assert code == 0, err
    (record,) = export()
    assert record["category"] == {
        "name": "Chính phủ hành động",
        "slug": "chinh-phu-hanh-dong",
        "parent": None,
    }
    assert record["title"] == SAMPLE_TITLE
    assert (
        record["slug"]
        == "ban-chi-dao-cai-cach-hanh-chinh-cua-chinh-phu-kiem-tra-tai-ben-tre"
    )
    assert record["location"] == "Bến Tre"
    assert record["lead"].startswith("Đoàn kiểm tra của Ban Chỉ đạo")
    assert record["agency"] == "TTXVN"
    assert record["authors"] == [{"name": "Công Trí", "slug": "cong-tri"}]
    types = [b["type"] for b in record["body"]]
    assert types.count("paragraph") == 10
    assert [i for i, t in enumerate(types) if t == "photo"] == [0, 5, 10]
    photos = [b for b in record["body"] if b["type"] == "photo"]
    assert [p["credit"] for p in photos] == ["Công trí/TTXVN"] * 3
    assert [p["image"] for p in photos] == [None, None, None]
    assert photos[2]["caption"] == "Quang cảnh buổi làm việc."
    assert record["body"][1]["html"].startswith("TTXVN - Chiều 10/11")
    assert record["related"] == []
    assert record["status"] == "published"
    assert record["published_at"] == "2023-11-10T17:30:00+07:00"
    assert "Chuyên mục mới: Chính phủ hành động" in out
    assert "Tác giả mới: Công Trí" in out
    assert Photo.objects.count() == 3


def test_default_status_is_draft_and_reimport_is_a_no_op():
    assert run(SAMPLE)[0] == 0
    article = Article.objects.get()
    assert article.status == "draft"
    before = (Article.objects.count(), Photo.objects.count(), Category.objects.count())
    code, out, _ = run(SAMPLE)
    assert code == 0
    assert "Tạo mới: 0 · Cập nhật: 0 · Bỏ qua (đã có): 1 · Lỗi: 0" in out
    after = (Article.objects.count(), Photo.objects.count(), Category.objects.count())
    assert before == after


def test_update_replaces_the_matched_article_and_keeps_attached_images(tmp_path, media):
    path = write(
        tmp_path / "a.txt",
        "---\nexternal_id: x-1\n---",
        *story("Bản đầu", "Ảnh một. (Ảnh: TTXVN)"),
    )
    run(path)
    article = Article.objects.get()
    photo = Photo.objects.get()
    photo.image.save("attached.jpg", File(open(jpeg(tmp_path / "p.jpg"), "rb")))
    write(
        path,
        "---\nexternal_id: x-1\n---",
        *story("Bản sửa", "Ảnh một, sửa. (Ảnh: TTXVN)"),
    )
    code, out, _ = run(path)
    assert "Bỏ qua (đã có): 1" in out  # without --update, a match is skipped
    assert Article.objects.get().title == "Bản đầu"
    code, out, _ = run(path, update=True)
    assert code == 0 and "Cập nhật: 1" in out
    article.refresh_from_db()
    assert article.title == "Bản sửa"
    assert Photo.objects.count() == 1
    photo.refresh_from_db()
    assert photo.caption == "Ảnh một, sửa."
    assert photo.image.name.endswith(".jpg")


def test_matching_by_source_url_when_there_is_no_external_id(tmp_path):
    path = write(
        tmp_path / "a.txt",
        "---\nsource_url: https://example.org/a.htm\n---",
        *story("Bản đầu"),
    )
    run(path)
    write(path, "---\nsource_url: https://example.org/a.htm\n---", *story("Bản sửa"))
    run(path, update=True)
    assert list(Article.objects.values_list("title", flat=True)) == ["Bản sửa"]


def test_dry_run_writes_nothing_and_says_what_it_would_do():
    code, out, _ = run(SAMPLE, dry_run=True)
    assert code == 0
    assert f"sẽ tạo: {SAMPLE} → {SAMPLE_TITLE}" in out
    assert "Chuyên mục mới: Chính phủ hành động" in out
    assert (
        Article.objects.count(),
        Category.objects.count(),
        Photo.objects.count(),
    ) == (0, 0, 0)


def test_a_bad_file_fails_alone_with_one_line_and_exit_1(tmp_path):
    good = write(tmp_path / "in" / "tot.txt", *story("Bài tốt"))
    bad = write(
        tmp_path / "in" / "xau.txt",
        "---\nstatus: draft\nlinh_tinh: 1\n---",
        *story("Bài xấu"),
    )
    code, out, err = run(tmp_path / "in")
    assert code == 1
    assert f"{bad}:3: khóa lạ 'linh_tinh'" in err
    assert "Tạo mới: 1" in out and "Lỗi: 1" in out
    assert list(Article.objects.values_list("title", flat=True)) == ["Bài tốt"]
    assert good.exists()


def test_failing_article_leaves_no_rows_and_no_files(tmp_path, media):
    """An invalid photo refuses the whole article before anything is written."""
    path = write(
        tmp_path / "bai.txt",
        *story("Bài có ảnh", "Ảnh một. (Ảnh: TTXVN)", "Ảnh hai. (Ảnh: TTXVN)"),
    )
    photos = tmp_path / "anh"
    jpeg(photos / "bai-1.jpg")
    (photos / "bai-2.jpg").write_bytes(b"not an image at all")
    code, _, err = run(path, photos=photos)
    assert code == 1
    assert "bai-2.jpg" in err and "không phải tệp ảnh" in err
    assert (
        Article.objects.count(),
        Photo.objects.count(),
        Category.objects.count(),
    ) == (0, 0, 0)
    assert not any(Path(media).rglob("*.jpg")) if Path(media).exists() else True


def test_photos_are_attached_in_caption_order(tmp_path, media):
    path = write(
        tmp_path / "bai.txt",
        *story("Bài có ảnh", "Ảnh một. (Ảnh: TTXVN)", "Ảnh hai. (Ảnh: TTXVN)"),
    )
    photos = tmp_path / "anh"
    jpeg(photos / "bai-1.jpg", (80, 60))
    jpeg(photos / "bai-2.jpg", (40, 30))
    assert run(path, photos=photos)[0] == 0
    article = Article.objects.get()
    ordered = [
        Photo.objects.get(pk=i)
        for i in __import__("articles.body").body.photo_ids(article.body)
    ]
    assert [(p.caption, p.width, p.height) for p in ordered] == [
        ("Ảnh một.", 80, 60),
        ("Ảnh hai.", 40, 30),
    ]
    assert article.featured_photo == ordered[0]
    assert all((Path(media) / p.image.name).exists() for p in ordered)


def test_more_images_than_captions_is_an_error(tmp_path):
    path = write(tmp_path / "bai.txt", *story("Bài", "Ảnh một. (Ảnh: TTXVN)"))
    jpeg(tmp_path / "anh" / "bai-1.jpg")
    jpeg(tmp_path / "anh" / "bai-2.jpg")
    code, _, err = run(path, photos=tmp_path / "anh")
    assert code == 1 and "2 ảnh" in err and "1 chú thích" in err
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("rong.txt", b"", "tệp rỗng"),
        ("anh.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "không phải tệp văn bản"),
        ("khong-tieu-de.jsonl", json.dumps({"lead": "x"}).encode(), "thiếu tiêu đề"),
        ("mang.jsonl", b"[1]", "đối tượng JSON"),
        ("khoa-la.jsonl", json.dumps({"title": "T", "x": 1}).encode(), "khóa lạ 'x'"),
        (
            "cp1258.txt",
            "Thời sự\n\nTiêu đề\n".encode("utf-16-le"),
            "không phải tệp văn bản",
        ),
    ],
)
def test_bad_inputs_get_one_clear_line(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    code, _, err = run(path)
    assert code == 1
    line = next(line for line in err.splitlines() if line.startswith(str(path)))
    assert words in line
    assert "Traceback" not in err


def test_a_50_mb_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "lon.txt"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    code, _, err = run(path)
    assert code == 1
    assert f"{path}: tệp quá lớn (50,0 MB" in err


def test_directory_without_article_files(tmp_path):
    (tmp_path / "rong").mkdir()
    (tmp_path / "rong" / "ghi-chu.doc").write_text("x")
    code, _, err = run(tmp_path / "rong")
    assert code == 1
    assert "thư mục không có tệp bài viết" in err


def test_missing_path_is_bad_usage(tmp_path):
    code, _, err = run(tmp_path / "khong-co")
    assert code == 2
    assert "không có tệp hay thư mục này" in err


def test_bad_published_at_is_bad_usage():
    code, _, err = run(SAMPLE, published_at="thứ sáu")
    assert code == 2 and "--published-at" in err


def test_categories_and_authors_match_by_name_ignoring_case(tmp_path):
    section = factories.category("Chính phủ hành động")
    author = factories.author("Công Trí")
    write(
        tmp_path / "a.txt",
        *story("Bài một", "CÔNG TRÍ", category="CHÍNH PHỦ HÀNH ĐỘNG"),
    )
    code, out, _ = run(tmp_path / "a.txt")
    assert code == 0
    article = Article.objects.get()
    assert article.category == section
    assert article.byline == [author]
    assert "Chuyên mục mới" not in out and "Tác giả mới" not in out
    assert Category.objects.count() == 1 and Author.objects.count() == 1


def test_related_titles_resolve_whatever_the_order_of_files(tmp_path):
    write(tmp_path / "1.txt", *story("Bài A", "Xem thêm", "Bài B", "Bài C"))
    code, out, _ = run(tmp_path / "1.txt")
    assert "Bài liên quan chưa tìm thấy" in out and "Bài B" in out
    assert PendingRelation.objects.count() == 2
    write(tmp_path / "2.txt", *story("Bài B"))
    run(tmp_path / "2.txt")
    a = Article.objects.get(title="Bài A")
    assert [r.title for r in a.related.all()] == ["Bài B"]
    assert list(PendingRelation.objects.values_list("title", flat=True)) == ["Bài C"]
    write(tmp_path / "3.txt", *story("Bài D", "Xem thêm", "bài a"))
    run(tmp_path / "3.txt")
    d = Article.objects.get(title="Bài D")
    assert [r.title for r in d.related.all()] == ["Bài A"]


def test_standard_input_and_category_option():
    text = "\n\n".join(["Tiêu đề từ đầu vào chuẩn", "Sapo.", "Thân bài."])
    code, out, err = run("-", stdin=text, category="Thời sự")
    assert code == 0, err
    article = Article.objects.get()
    assert (article.title, article.category.name) == (
        "Tiêu đề từ đầu vào chuẩn",
        "Thời sự",
    )


def test_missing_category_is_a_clear_error_for_jsonl(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"title": "Không chuyên mục"}) + "\n")
    code, _, err = run(path)
    assert code == 1 and f"{path}:1: thiếu chuyên mục" in err


def test_jsonl_bad_line_does_not_stop_the_good_ones(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"title": "Một", "category": "Thời sự"}),
                "{hỏng",
                json.dumps({"title": "Hai", "category": "Thời sự"}),
            ]
        )
    )
    code, out, err = run(path)
    assert code == 1
    assert f"{path}:2: JSON không hợp lệ" in err
    assert sorted(Article.objects.values_list("title", flat=True)) == ["Hai", "Một"]


def _comparable(records: list[dict]) -> list[dict]:
    """Drop what differs between databases: ids, URLs with ids, update times."""
    return [
        {k: v for k, v in r.items() if k not in ("id", "url", "updated_at")}
        for r in records
    ]


def _empty_database() -> None:
    PendingRelation.objects.all().delete()
    Article.objects.all().delete()
    Photo.objects.all().delete()
    Author.objects.all().delete()
    Category.objects.exclude(parent=None).delete()
    Category.objects.all().delete()
    from articles.models import Tag

    Tag.objects.all().delete()


def test_round_trip_of_the_sample_and_rich_text(tmp_path, media):
    run(SAMPLE, status="published", published_at="2023-11-10T17:30:00+07:00")
    parent = factories.category("Chính phủ")
    section = factories.category("Địa phương", parent=parent)
    photo = factories.photo(caption="Ảnh có tệp", credit="VGP/Nhật Bắc")
    photo.image.save("hinh.jpg", File(open(jpeg(tmp_path / "h.jpg"), "rb")))
    rich = factories.article(
        "Bài soạn bằng trình soạn thảo",
        category=section,
        lead="Sapo.",
        body=(
            "<h2>Tiêu đề phụ</h2><p>Có <strong>đậm</strong>, <em>nghiêng</em> và "
            '<a href="https://chinhphu.vn/">liên kết</a>.</p>'
            "<ul><li>Một</li><li>Hai</li></ul><blockquote><p>Trích dẫn.</p></blockquote>"
            f'<figure class="photo" data-photo-id="{photo.pk}"><figcaption>Ảnh có tệp '
            '<span class="credit">VGP/Nhật Bắc</span></figcaption></figure>'
            '<figure class="table"><table><tbody><tr><td>1</td><td>2</td></tr></tbody></table></figure>'
        ),
        authors=[factories.author("Nguyễn Văn A"), factories.author("Trần Thị B")],
        external_id="rich-1",
        source_url="https://example.org/rich.htm",
    )
    rich.photos.add(photo)
    rich.tags.add(factories.tag("Cải cách"), factories.tag("Bến Tre"))
    rich.related.add(Article.objects.get(title=SAMPLE_TITLE))

    first = export()
    dump = tmp_path / "dump.jsonl"
    call_command("export_articles", output=str(dump), stderr=io.StringIO())
    _empty_database()
    code, _, err = run(dump)
    assert code == 0, err
    second = export()
    assert _comparable(second) == _comparable(first)
    types = [b["type"] for b in second[1]["body"]]
    assert types == ["heading", "paragraph", "list", "quote", "photo", "table"]
    assert second[1]["body"][4]["image"].endswith(".jpg")
    assert second[1]["category"]["parent"] == "Chính phủ"


def test_export_filters(tmp_path):
    factories.article("Đã đăng", category=factories.category("Thời sự"))
    factories.article("Nháp", status="draft")
    assert [r["title"] for r in export(status=["published"])] == ["Đã đăng"]
    assert [r["title"] for r in export(category="thoi-su")] == ["Đã đăng"]
    assert export(since="2999-01-01") == []
    with pytest.raises(CommandError):
        call_command("export_articles", category="khong-co", stdout=io.StringIO())


def test_demo_setup_loads_a_living_site_with_the_sample_among_it(
    client, settings, media
):
    settings.DEBUG = True
    call_command("setup_demo", stdout=io.StringIO())
    call_command("setup_demo", stdout=io.StringIO())  # again: nothing new
    published = Article.objects.published()
    assert published.count() == 30
    assert Category.objects.filter(parent=None).count() == 5
    article = published.get(title=SAMPLE_TITLE)
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.count("(Ảnh: Công trí/TTXVN)") == 3
    home = client.get("/").content.decode()
    menu = re.findall(
        r'<a href="/([a-z-]+)/"[^>]*>([^<]+)</a>', home.split("</nav>")[0]
    )
    assert [name for _, name in menu][:5] == [
        "Chính phủ hành động", "Kinh tế", "Xã hội", "Văn hóa", "Quốc tế",
    ]  # fmt: skip
    demo = published.exclude(title=SAMPLE_TITLE).first()
    story = client.get(demo.get_absolute_url()).content.decode()
    assert "(Ảnh minh họa)" in story and "<img" in story.split('class="body"')[1]


def test_same_story_twice_in_one_run_is_created_once(tmp_path):
    write(tmp_path / "a.txt", *story("Cùng một bài"))
    write(tmp_path / "b.txt", *story("Cùng một bài"))
    code, out, _ = run(tmp_path)
    assert code == 0
    assert "Tạo mới: 1 · Cập nhật: 0 · Bỏ qua (đã có): 1" in out
    assert Article.objects.count() == 1


def test_a_failed_batch_is_retried_one_article_at_a_time(tmp_path, monkeypatch):
    """When the bulk insert fails, every article still gets its own chance."""
    from django.db import IntegrityError

    from articles.importers.loader import Loader

    for i in range(5):
        write(tmp_path / f"{i}.txt", *story(f"Bài số {i}", "Ảnh. (Ảnh: TTXVN)"))
    calls = {"n": 0}
    real = Article.objects.bulk_create

    def flaky(objs, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise IntegrityError("giả lập lỗi lô")
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(Article.objects, "bulk_create", flaky)
    monkeypatch.setattr(Loader, "batch_size", 3)
    code, out, err = run(tmp_path)
    assert code == 0, err
    assert "Tạo mới: 5" in out
    assert Article.objects.count() == 5
    assert Photo.objects.count() == 5  # the rolled-back batch left no photos behind


def test_queries_do_not_grow_with_paragraphs_or_photos(tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = write(
        tmp_path / "s" / "a.txt", *story("Bài ngắn", "Ảnh. (Ảnh: TTXVN)", "Công Trí")
    )
    big_blocks = [f"Đoạn văn số {i} của bài dài." for i in range(40)]
    big_blocks += [f"Ảnh số {i}. (Ảnh: TTXVN)" for i in range(12)]
    big = write(tmp_path / "b" / "a.txt", *story("Bài dài", *big_blocks, "Công Trí"))
    factories.category("Thời sự")
    factories.author("Công Trí")
    run(small)  # warm the caches of names
    counts = []
    for path in (tmp_path / "s2.txt", tmp_path / "b2.txt"):
        source = small if path.name == "s2.txt" else big
        path.write_text(source.read_text().replace("Bài", "Tin"), encoding="utf-8")
        with CaptureQueriesContext(connection) as ctx:
            run(path)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db(transaction=True)
def test_an_import_drops_cached_pages(client, tmp_path):
    factories.article("Bài có sẵn", category=factories.category("Thời sự"))
    assert "Bài mới nhập" not in client.get("/thoi-su/").content.decode()
    write(tmp_path / "a.txt", *story("Bài mới nhập"))
    run(tmp_path / "a.txt", status="published")
    assert "Bài mới nhập" in client.get("/thoi-su/").content.decode()


def test_export_to_a_missing_folder_is_one_clear_error(tmp_path):
    factories.article()
    target = tmp_path / "khong-co" / "ban-sao.jsonl"
    with pytest.raises(CommandError) as err:
        call_command("export_articles", output=str(target), stderr=io.StringIO())
    assert err.value.returncode == 2
    assert str(err.value).startswith(f"-o {target}: không ghi được")
    assert not target.parent.exists()


def test_a_failed_export_leaves_the_old_file_untouched(tmp_path, monkeypatch):
    import articles.management.commands.export_articles as export_command

    factories.article()
    target = tmp_path / "ban-sao.jsonl"
    target.write_text("bản cũ\n", encoding="utf-8")

    def broken(queryset):
        yield {"title": "một"}
        raise RuntimeError("mất kết nối")

    monkeypatch.setattr(export_command, "iter_records", broken)
    with pytest.raises(RuntimeError):
        call_command("export_articles", output=str(target), stderr=io.StringIO())
    assert target.read_text(encoding="utf-8") == "bản cũ\n"
    assert [p.name for p in tmp_path.iterdir()] == ["ban-sao.jsonl"]


def _two_local_sections() -> tuple[Category, Category]:
    """ "Địa phương" under "Chính phủ" and under "Kinh tế", each with its plain slug."""
    economy = Category.objects.create(name="Kinh tế")
    government = Category.objects.create(name="Chính phủ")
    under_economy = Category.objects.create(name="Địa phương", parent=economy)
    under_government = Category.objects.create(name="Địa phương", parent=government)
    assert (under_economy.path, under_government.path) == (
        "kinh-te/dia-phuong",
        "chinh-phu/dia-phuong",
    )
    return under_government, under_economy


@pytest.mark.parametrize(
    "named",
    ["Chính phủ › Địa phương", "chính phủ > địa phương", "chinh-phu/dia-phuong"],
)
def test_a_story_lands_in_the_section_its_path_names(tmp_path, named):
    under_government, _ = _two_local_sections()
    write(tmp_path / "a.txt", *story("Tin địa phương", category=named))
    code, out, err = run(tmp_path / "a.txt")
    assert code == 0, err
    assert Article.objects.get().category == under_government
    assert "Chuyên mục mới" not in out


def test_a_json_record_names_its_section_with_the_parent(tmp_path):
    under_government, _ = _two_local_sections()
    record = {
        "title": "Tin địa phương",
        "category": {"name": "Địa phương", "parent": "Chính phủ"},
        "lead": "Sapo.",
        "body": [{"type": "paragraph", "text": "Một."}],
    }
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert run(path)[0] == 0
    assert Article.objects.get().category == under_government


def test_a_name_shared_by_two_sections_is_refused_and_the_others_import(tmp_path):
    _two_local_sections()
    write(tmp_path / "a.txt", *story("Tin chưa rõ nơi", category="Địa phương"))
    write(tmp_path / "b.txt", *story("Tin kinh tế", category="Kinh tế › Địa phương"))
    code, out, err = run(tmp_path)
    assert code == 1
    (line,) = err.strip().splitlines()[:1]
    assert line.startswith(f"{tmp_path / 'a.txt'}:")
    assert "có 2 chuyên mục tên “Địa phương”" in line
    assert "Chính phủ › Địa phương; Kinh tế › Địa phương" in line
    assert list(Article.objects.values_list("title", "category__path")) == [
        ("Tin kinh tế", "kinh-te/dia-phuong")
    ]


def test_a_new_sub_section_is_made_under_the_parent_named(tmp_path):
    government = Category.objects.create(name="Chính phủ")
    write(
        tmp_path / "a.txt", *story("Tin mới", category="Chính phủ › Chỉ đạo điều hành")
    )
    code, out, err = run(tmp_path / "a.txt")
    assert code == 0, err
    section = Article.objects.get().category
    assert (section.parent, section.path) == (government, "chinh-phu/chi-dao-dieu-hanh")
    assert "Chuyên mục mới: Chỉ đạo điều hành" in out


def test_importing_one_file_reads_only_the_rows_it_needs(tmp_path):
    """A single wire story does not read the identity of every stored article."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(30):
        factories.article(f"Bài cũ số {i}")
    path = write(tmp_path / "a.txt", *story("Bài mới nhập"))
    with CaptureQueriesContext(connection) as ctx:
        assert run(path)[0] == 0
    reads = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "articles_article"' in q["sql"]
    ]
    assert reads and all(" WHERE " in sql for sql in reads), reads


def test_one_large_file_stops_asking_for_each_record(tmp_path, monkeypatch):
    """One JSON Lines file of many records reads the identity index once
    instead of one lookup per record (the run did not know its size)."""
    import json

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.importers import index

    monkeypatch.setattr(index, "PRELOAD_FROM", 10)
    section = factories.category("Thời sự")
    for i in range(5):
        factories.article(f"Bài cũ số {i}", category=section)
    records = tmp_path / "nhieu.jsonl"

    def write_records(n: int, start: int = 0) -> None:
        with records.open("w", encoding="utf-8") as out:
            for i in range(start, start + n):
                record = {
                    "external_id": f"ban-tin-{i}",
                    "category": "Thời sự",
                    "title": f"Bài cũ số {i % 5}",  # slugs taken: -2, -3, …
                    "lead": f"Sapo {i}.",
                    "body": [{"type": "paragraph", "html": f"Đoạn {i}."}],
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")

    lookups = []
    for n, start in ((40, 0), (120, 40)):
        write_records(n, start)
        with CaptureQueriesContext(connection) as ctx:
            assert run(records)[0] == 0
        lookups.append(
            sum(
                1
                for q in ctx.captured_queries
                if q["sql"].startswith("SELECT") and '"external_id" =' in q["sql"]
            )
        )
    assert lookups[0] == lookups[1] <= 10, lookups
    slugs = list(Article.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == 165
    assert "bai-cu-so-0-2" in slugs and "bai-cu-so-0-33" in slugs


def test_a_large_import_leaves_the_planner_knowing_what_it_brought(tmp_path):
    """After an import of 100 stories or more the database's planner has
    statistics for them at once, not a minute later when autovacuum comes
    by: without them PostgreSQL planned a broad search ("cải cách" on 10,000
    fresh stories) as a rare one, at 59-118 ms of SQL instead of 16-21."""
    from django.db import connection

    records = tmp_path / "kho.jsonl"
    with records.open("w", encoding="utf-8") as out:
        for i in range(120):
            record = {
                "external_id": f"kho-{i}",
                "category": "Thời sự",
                "title": f"Quỹ Zơrôvích hỗ trợ số {i}",
                "lead": f"Sapo {i}.",
                "body": [{"type": "paragraph", "html": f"Đoạn {i}."}],
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    assert run("--format", "jsonl", records)[0] == 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The words every imported story holds are among the vector's
            # most common elements: the planner knows the match is broad.
            cursor.execute(
                "SELECT most_common_elems::text FROM pg_stats "
                "WHERE tablename = 'articles_article' AND attname = 'search_vector'"
            )
            row = cursor.fetchone()
            assert row is not None and "zorovich" in row[0].strip("{}").split(",")
        else:
            # Each index's line starts with the table's number of rows.
            cursor.execute(
                "SELECT stat FROM sqlite_stat1 WHERE tbl = 'articles_article' LIMIT 1"
            )
            row = cursor.fetchone()
            assert row is not None and int(row[0].split()[0]) >= 120
