"""The many-machine site, proven on real servers (``make cluster-test``).

Two gunicorn app servers behind Varnish, a PostgreSQL primary with a
streaming replica serving the readers' reads, Redis with one RQ worker
running the jobs, the scheduler, media on a local S3 server. Writes go
through the write service on the primary, as an app server's admin does.
"""

from __future__ import annotations

import json
import threading
import time

import pytest

from .servers import Cluster, http_status

pytestmark = pytest.mark.cluster


@pytest.fixture(scope="module")
def cluster():
    site = Cluster().start()
    site.django(SEED)
    # Every page once through the edge, so that it is cached there.
    for path in ("/", "/thoi-su/", "/kinh-te/", "/rss/"):
        site.varnish.get(path)
    yield site
    site.stop()


SEED = """
from datetime import timedelta
from django.utils import timezone
from articles.models import Article, Category
news = Category.objects.create(name="Thời sự", slug="thoi-su")
economy = Category.objects.create(name="Kinh tế", slug="kinh-te")
for i in range(5):
    Article.objects.create(
        title=f"Tin thời sự {i}", category=news, status="published",
        published_at=timezone.now() - timedelta(hours=i + 1), body="<p>Nội dung.</p>",
    )
Article.objects.create(
    title="Tin kinh tế", category=economy, status="published",
    published_at=timezone.now() - timedelta(hours=1), body="<p>Nội dung.</p>",
)
"""


def _story(cluster, title: str, status: str = "draft", at: str = "None") -> dict:
    """Create a story on the primary; return its id and address."""
    out = cluster.django(
        f"""
import json
from datetime import datetime, timezone as tz
from articles.models import Article, Category
at = {at}
a = Article.objects.create(
    title={title!r}, category=Category.objects.get(slug="thoi-su"), status={status!r},
    published_at=datetime.fromtimestamp(at, tz.utc) if at else None,
    body="<p>Nội dung.</p>",
)
print(json.dumps({{"pk": a.pk, "url": a.get_absolute_url()}}))
"""
    )
    return json.loads(out.splitlines()[-1])


def _service(cluster, name: str, pk: int) -> None:
    cluster.django(
        f"from articles import services\nfrom articles.models import Article\n"
        f"services.{name}(article=Article.objects.get(pk={pk}))"
    )


def _until(check, seconds: float) -> float | None:
    """Seconds until ``check()`` holds, or None if it did not within ``seconds``."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if check():
            return time.monotonic() - start
        time.sleep(0.05)
    return None


def test_a_publish_is_at_the_edge_within_two_seconds(cluster):
    story = _story(cluster, "Tin mới đăng qua máy A")
    assert "Tin mới đăng qua máy A" not in cluster.varnish.get("/")[2]
    cluster.varnish.get("/kinh-te/")  # at the edge, for the check below
    _service(cluster, "publish", story["pk"])  # returns once committed
    took = _until(lambda: "Tin mới đăng qua máy A" in cluster.varnish.get("/")[2], 5)
    assert took is not None and took < 2, f"{took} s after the commit"
    assert cluster.varnish.get(story["url"])[0] == 200
    assert "Tin mới đăng qua máy A" in cluster.varnish.get("/thoi-su/")[2]
    assert cluster.varnish.get("/kinh-te/")[1]["x-edge"] == "hit", "untouched"


def test_an_unpublish_is_gone_from_every_url_that_listed_it(cluster):
    story = _story(cluster, "Tin sắp gỡ khỏi mọi trang")
    _service(cluster, "publish", story["pk"])
    listing = ["/", "/thoi-su/", "/rss/"]
    assert _until(
        lambda: all("Tin sắp gỡ" in cluster.varnish.get(p)[2] for p in listing), 5
    )
    assert cluster.varnish.get(story["url"])[0] == 200
    _service(cluster, "unpublish", story["pk"])
    took = _until(
        lambda: (
            cluster.varnish.get(story["url"])[0] == 404
            and not any("Tin sắp gỡ" in cluster.varnish.get(p)[2] for p in listing)
        ),
        5,
    )
    assert took is not None and took < 2, (took, _where(cluster, story, listing))


def _where(cluster, story, listing) -> dict:
    """What each page shows now, at the edge and on each app server."""
    import urllib.request

    found = {}
    for path in [story["url"], *listing]:
        status, headers, text = cluster.varnish.get(path)
        seen = {
            "edge": (
                status,
                headers.get("x-edge"),
                headers.get("age"),
                "Tin sắp gỡ" in text,
            )
        }
        for name in ("app_a", "app_b"):
            url = f"http://127.0.0.1:{cluster.ports[name]}{path}"
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    seen[name] = (answer.status, "Tin sắp gỡ" in answer.read().decode())
            except Exception as error:  # a 404 is an answer too
                seen[name] = repr(error)[:60]
        found[path] = seen
    return found


def test_a_scheduled_story_appears_within_five_seconds_of_its_time(cluster):
    at = time.time() + 4
    story = _story(cluster, "Tin hẹn giờ", status="published", at=repr(at))
    early = "Tin hẹn giờ" in cluster.varnish.get("/")[2]
    assert not early, "not before its time"
    assert cluster.varnish.get(story["url"])[0] == 404
    seen = _until(lambda: "Tin hẹn giờ" in cluster.varnish.get("/")[2], 12)
    assert seen is not None
    late = time.time() - at
    assert late < 5, f"{late:.2f} s after its time"
    assert cluster.varnish.get(story["url"])[0] == 200


def test_the_replica_serves_readers_and_never_shows_an_unpublished_story(cluster):
    replica_reads = """
from django.db import connections
with connections["replica"].cursor() as c:
    c.execute("SELECT xact_commit FROM pg_stat_database WHERE datname = 'newsroom'")
    print(c.fetchone()[0])
"""
    before = int(cluster.django(replica_reads).splitlines()[-1])
    for i in range(10):  # searches: never the same page twice
        assert cluster.app("app_a", f"/tim-kiem/?q=tin+{i}+{time.time()}") == 200
    after = int(cluster.django(replica_reads).splitlines()[-1])
    assert after - before >= 10, "the readers' queries ran on the replica"

    story = _story(cluster, "Tin đọc từ bản sao")
    _service(cluster, "publish", story["pk"])
    assert _until(lambda: cluster.app("app_a", story["url"]) == 200, 5)
    lag = cluster.django(
        """
from django.db import connections
with connections["replica"].cursor() as c:
    c.execute("SELECT COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)")
    print(c.fetchone()[0])
"""
    ).splitlines()[-1]
    _service(cluster, "unpublish", story["pk"])
    gone = _until(
        lambda: (
            cluster.app("app_a", story["url"]) == 404
            and cluster.app("app_b", story["url"]) == 404
            and cluster.varnish.get(story["url"])[0] == 404
        ),
        10,
    )
    assert gone is not None and gone < min(float(lag), 1.0) + 2, (gone, lag)


def test_media_live_on_object_storage(cluster):
    """Stored at once, renditions made by the worker, replaced and deleted,
    all on the S3 server."""
    out = cluster.django(
        """
import io, json, time
from PIL import Image
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from articles.models import Photo
from articles.photos import renditions
from articles.photos.intake import store_photo_file

def jpeg(colour):
    buf = io.BytesIO(); Image.new("RGB", (1200, 800), colour).save(buf, "JPEG")
    return ContentFile(buf.getvalue())

def made(photo):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        photo.refresh_from_db()
        if photo.image_hash:
            return [photo.image.name, *renditions.names_for(photo)]
        time.sleep(0.1)
    return []

photo = Photo(caption="Ảnh thử")
with transaction.atomic():
    at_once = store_photo_file(photo, jpeg((200, 30, 30)), "thu.jpg")
    photo.save()
first = made(photo)
first_url = photo.image.url
with transaction.atomic():
    store_photo_file(photo, jpeg((30, 30, 200)), "thay.jpg")
    photo.save()
second = made(photo)
after_replace = [default_storage.exists(n) for n in first]
kept = [default_storage.exists(n) for n in second]
second_url = photo.image.url
with transaction.atomic():
    photo.delete()
after_delete = [default_storage.exists(n) for n in second]
print(json.dumps({"at_once": at_once, "first": first, "first_url": first_url,
                  "second_url": second_url, "after_replace": after_replace,
                  "kept": kept, "after_delete": after_delete}))
"""
    )
    found = json.loads(out.splitlines()[-1])
    assert found["first_url"].startswith(f"http://127.0.0.1:{cluster.ports['s3']}/")
    assert len(found["at_once"]) == 1, "the upload stores the original only"
    assert len(found["first"]) > 5, "the worker made the renditions"
    assert not any(found["after_replace"]), "the replaced image's files are gone"
    assert len(found["kept"]) > 5 and all(found["kept"])
    assert http_status(found["first_url"]) in (403, 404)
    assert not any(found["after_delete"]), "a deleted photo's files are gone"


def test_killing_one_app_server_leaves_readers_no_errors(cluster):
    paths = ["/", "/thoi-su/", "/kinh-te/"] + [
        f"/tim-kiem/?q=kinh+te+{i}" for i in range(40)
    ]
    errors: list[int] = []
    done = threading.Event()

    def readers():
        i = 0
        while not done.is_set():
            status = cluster.varnish.get(paths[i % len(paths)])[0]
            if status >= 500:
                errors.append(status)
            i += 1

    threads = [threading.Thread(target=readers) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    cluster.stop_app("app_b")
    time.sleep(3)
    done.set()
    for t in threads:
        t.join()
    assert errors == []
    cluster.start_app("app_b")


def test_with_every_app_server_down_cached_pages_are_still_served(cluster):
    for path in ("/", "/thoi-su/"):
        assert cluster.varnish.get(path)[0] == 200
    cluster.stop_app("app_a")
    cluster.stop_app("app_b")
    time.sleep(11)  # past the pages' 10 s at the edge: stale now, kept for grace
    for path in ("/", "/thoi-su/"):
        status, headers, body = cluster.varnish.get(path)
        assert status == 200, path
        assert "Tin thời sự" in body
    cluster.start_app("app_a")
    cluster.start_app("app_b")


def test_the_app_servers_reach_the_primary_through_pgbouncer(cluster):
    import subprocess

    from .servers import pg_bin

    clients = subprocess.run(
        [str(pg_bin() / "psql"), "-h", "127.0.0.1", "-p",
         str(cluster.ports["pgbouncer"]), "-U", "postgres", "-At", "pgbouncer",
         "-c", "SHOW CLIENTS"],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    assert sum("|newsroom|" in line for line in clients) >= 2
    assert cluster.varnish.get("/tim-kiem/?q=pgbouncer")[0] == 200


def test_the_worker_ran_the_purges(cluster):
    failed = cluster.django(
        """
import django_rq
from rq.registry import FailedJobRegistry
print(len(FailedJobRegistry(queue=django_rq.get_queue("default"))))
"""
    )
    assert failed.splitlines()[-1] == "0"
