"""Search relevance: the story a reader means comes first.

A fixed corpus of stories in the shape Vietnamese newsrooms publish (title,
lead, body, tags, byline, location), and queries as readers type them — with
or without diacritics, a phrase, a place, a tag, an author's name. Each
query names the story that must rank first. Runs on SQLite (FTS5) and on
PostgreSQL (full text), whichever the suite runs on.
"""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from articles import services
from articles.models import Article

from . import factories

pytestmark = [pytest.mark.django_db]

# title, lead, body, tags, authors, location
CORPUS = [
    ("Cải cách hành chính tại Bến Tre: rút ngắn một nửa thời gian giải quyết hồ sơ",
     "Tỉnh Bến Tre công bố kết quả cải cách thủ tục hành chính năm 2023.",
     "Bộ phận một cửa của tỉnh tiếp nhận hồ sơ trực tuyến, trả kết quả tại nhà.",
     ["Cải cách hành chính"], ["Công Trí"], "Bến Tre"),
    ("Lào Cai đẩy mạnh cách làm mới trong du lịch cộng đồng",
     "Nhiều bản làng vùng cao đón khách lưu trú tại nhà dân.",
     "Du khách được trải nghiệm nếp sống, ẩm thực của đồng bào.",
     ["Du lịch"], ["Hoàng Hà"], "Lào Cai"),
    ("Cài cách nhiệt cho nhà ở vùng núi phía Bắc",
     "Bộ Xây dựng hướng dẫn người dân giữ ấm nhà trong mùa rét.",
     "Vật liệu cách nhiệt giá rẻ giúp giảm lượng điện sưởi.",
     ["Xây dựng"], ["Thu Trang"], ""),
    ("Thủ tướng chủ trì phiên họp Chính phủ thường kỳ tháng 11",
     "Thủ tướng Phạm Minh Chính chủ trì phiên họp, đánh giá tình hình kinh tế - xã hội.",
     "Chính phủ thảo luận các giải pháp thúc đẩy tăng trưởng những tháng cuối năm.",
     ["Phiên họp Chính phủ"], ["Nhật Bắc"], "Hà Nội"),
    ("Giá xăng giảm lần thứ ba liên tiếp",
     "Liên Bộ Công Thương - Tài chính điều chỉnh giá xăng dầu từ 15 giờ chiều nay.",
     "Mỗi lít xăng RON 95 giảm hơn 400 đồng.",
     ["Giá xăng dầu"], ["Đức Minh"], ""),
    ("Hà Nội mở rộng tuyến đường sắt đô thị Nhổn - ga Hà Nội",
     "Đoạn đi ngầm của tuyến sẽ được thi công trong năm tới.",
     "Thành phố giải phóng mặt bằng các nhà ga ngầm.",
     ["Đường sắt đô thị"], ["Thanh Tùng"], "Hà Nội"),
    ("Khởi công cầu mới bắc qua sông Hậu",
     "Cây cầu nối hai bờ sông, rút ngắn đường về miền Tây.",
     "Công trình dự kiến hoàn thành sau ba năm.",
     ["Giao thông"], ["Thanh Liêm"], "Cần Thơ"),
    ("Chuyển đổi số trong y tế cơ sở",
     "Trạm y tế xã dùng hồ sơ sức khỏe điện tử cho mọi người dân.",
     "Người bệnh đặt lịch khám qua điện thoại.",
     ["Chuyển đổi số"], ["Minh Châu"], ""),
    ("Xuất khẩu gạo đạt kỷ lục 8 triệu tấn",
     "Giá gạo xuất khẩu ở mức cao nhất trong nhiều năm.",
     "Các doanh nghiệp mở rộng thị trường châu Phi.",
     ["Xuất khẩu"], ["Vũ Dung"], ""),
    ("Bão số 5 đổ bộ vào miền Trung",
     "Gió giật mạnh, mưa lớn trên diện rộng.",
     "Hàng nghìn hộ dân được sơ tán đến nơi an toàn.",
     ["Thời tiết"], ["Văn Tý"], "Quảng Bình"),
    ("Học sinh Hà Tĩnh giành huy chương vàng Olympic Toán quốc tế",
     "Đội tuyển Việt Nam xếp thứ tư toàn đoàn.",
     "Em là học sinh lớp 12 trường chuyên của tỉnh.",
     ["Giáo dục"], ["Thanh Hà"], "Hà Tĩnh"),
    ("Ngân hàng Nhà nước giữ nguyên lãi suất điều hành",
     "Mặt bằng lãi suất cho vay tiếp tục giảm.",
     "Tín dụng tăng trưởng khá trong quý IV.",
     ["Ngân hàng"], ["Hồng Nhung"], ""),
    ("Đồng bằng sông Cửu Long ứng phó hạn mặn",
     "Các tỉnh tích trữ nước ngọt từ sớm.",
     "Nông dân chuyển đổi cơ cấu cây trồng.",
     ["Nông nghiệp"], ["Hữu Chí"], ""),
    ("Tỷ giá đô la Mỹ tăng nhẹ",
     "Giá bán ra tại các ngân hàng thương mại nhích lên.",
     "Thị trường tự do ổn định.",
     ["Ngân hàng"], ["Hồng Nhung"], ""),
    ("Đà Nẵng đón 1 triệu lượt khách quốc tế",
     "Ngành du lịch thành phố vượt kế hoạch năm.",
     "Nhiều đường bay mới được mở.",
     ["Du lịch"], ["Văn Dũng"], "Đà Nẵng"),
    ("Quốc hội thông qua Luật Đất đai sửa đổi",
     "Luật có hiệu lực từ ngày 1/1/2025.",
     "Đại biểu tán thành với tỷ lệ cao.",
     ["Luật Đất đai"], ["Phương Hoa"], "Hà Nội"),
    ("Bến Tre trồng mới 500 ha dừa",
     "Nông dân được hỗ trợ giống và kỹ thuật.",
     "Dừa là cây trồng chủ lực của tỉnh.",
     ["Nông nghiệp"], ["Công Trí"], "Bến Tre"),
    ("Hội nghị tổng kết công tác cải cách tư pháp",
     "Nhiều kết quả cải cách được ghi nhận, kể cả về hành chính tư pháp.",
     "Ban Chỉ đạo đề ra nhiệm vụ năm tới.",
     ["Tư pháp"], ["Phương Hoa"], "Hà Nội"),
    ("Đường dây nóng tiếp nhận phản ánh về thủ tục hành chính",
     "Người dân gọi số 1022 để phản ánh.",
     "Mọi phản ánh được trả lời trong ba ngày.",
     ["Dịch vụ công"], ["Minh Thư"], ""),
    ("Tiêm chủng mở rộng cho trẻ em vùng cao",
     "Các đội y tế lưu động đến từng bản.",
     "Ở Lào Cai, tỷ lệ tiêm đủ mũi đạt 95%.",
     ["Y tế"], ["Thu Trang"], ""),
    ("Sân bay Long Thành hoàn thành nhà ga hành khách",
     "Nhà ga có công suất 25 triệu khách mỗi năm.",
     "Công trình bước vào giai đoạn lắp đặt thiết bị.",
     ["Giao thông"], ["Thanh Liêm"], "Đồng Nai"),
    ("Người dân thu hoạch tôm trúng mùa",
     "Giá tôm tăng, nông dân có lãi.",
     "Mô hình tôm - lúa cho thu nhập ổn định.",
     ["Nông nghiệp"], ["Hữu Chí"], "Cà Mau"),
    ("Kinh tế số đóng góp 16,5% GDP",
     "Thương mại điện tử tăng trưởng hai con số.",
     "Doanh nghiệp nhỏ bán hàng trên nền tảng số.",
     ["Chuyển đổi số"], ["Đức Minh"], ""),
    ("Giá vàng trong nước vượt 80 triệu đồng mỗi lượng",
     "Chênh lệch với giá thế giới lên mức cao.",
     "Người dân xếp hàng mua vàng.",
     ["Thị trường"], ["Vũ Dung"], ""),
]  # fmt: skip

# query → the start of the title that must rank first
QUERIES = [
    ("cải cách hành chính", "Cải cách hành chính tại Bến Tre"),
    ("cai cach hanh chinh", "Cải cách hành chính tại Bến Tre"),
    ("cài cách", "Cài cách nhiệt"),  # the exact marks beat "cải cách"
    ("cải cách tư pháp", "Hội nghị tổng kết công tác cải cách tư pháp"),
    ("lào cai", "Lào Cai đẩy mạnh"),  # the title before a body mention
    ("phiên họp chính phủ", "Thủ tướng chủ trì phiên họp"),
    ("Thủ tướng Phạm Minh Chính", "Thủ tướng chủ trì phiên họp"),
    ("giá xăng", "Giá xăng giảm"),
    ("xang dau", "Giá xăng giảm"),  # lead and tag, no marks
    ("đường sắt đô thị", "Hà Nội mở rộng tuyến đường sắt"),
    ("cần thơ", "Khởi công cầu mới"),  # the location only
    ("chuyen doi so", "Chuyển đổi số trong y tế"),  # title before a tag
    ("minh châu", "Chuyển đổi số trong y tế"),  # the author
    ("xuất khẩu gạo", "Xuất khẩu gạo"),
    ("bão số 5", "Bão số 5"),
    ("quảng bình", "Bão số 5"),  # the location
    ("olympic toán", "Học sinh Hà Tĩnh"),
    ("lãi suất", "Ngân hàng Nhà nước giữ nguyên"),
    ("hạn mặn", "Đồng bằng sông Cửu Long"),
    ("tỷ giá", "Tỷ giá đô la Mỹ"),
    ("đà nẵng khách quốc tế", "Đà Nẵng đón"),
    ("luật đất đai", "Quốc hội thông qua Luật Đất đai"),
    ("ben tre dua", "Bến Tre trồng mới"),
    ("long thành", "Sân bay Long Thành"),
    ("cà mau tôm", "Người dân thu hoạch tôm"),  # location and title
    ("kinh tế số", "Kinh tế số"),
    ("giá vàng", "Giá vàng trong nước"),
    ("dịch vụ công", "Đường dây nóng"),  # the tag
]


@pytest.fixture
def corpus(settings):
    # Inside a test's transaction no commit moves the page cache on: the
    # pages are rendered fresh each time.
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    now = timezone.now()
    authors, tags = {}, {}
    section = factories.category("Thời sự")
    for i, (title, lead, body, tag_names, author_names, location) in enumerate(CORPUS):
        # The newest story is the last one: the date never decides for the test.
        article = Article(
            category=section,
            title=title,
            lead=lead,
            body=f"<p>{body}</p>",
            location=location,
            status=Article.Status.PUBLISHED,
            published_at=now - dt.timedelta(hours=len(CORPUS) - i),
        )
        services.save_article(
            article=article,
            tags=[
                tags.get(n) or tags.setdefault(n, factories.tag(n)) for n in tag_names
            ],
            byline=[
                authors.get(n) or authors.setdefault(n, factories.author(n))
                for n in author_names
            ],
        )


def ranked(query: str, **filters) -> list[str]:
    html = Client().get("/tim-kiem/", {"q": query, **filters}).content.decode()
    titles = re.findall(r'<h2 class="card-title"><a href="[^"]+">(.*?)</a></h2>', html)
    return [re.sub(r"</?mark>", "", t) for t in titles]


@pytest.mark.parametrize(("query", "expected"), QUERIES, ids=[q for q, _ in QUERIES])
def test_the_story_meant_ranks_first(corpus, query, expected):
    found = ranked(query)
    assert found, f"nothing found for “{query}”"
    assert found[0].startswith(expected), (query, found[:3])


def test_every_word_must_match(corpus):
    # "Lào Cai" and "cải cách" never stand together: no story has both.
    assert ranked("lào cai cải cách hành chính") == []


def test_a_query_in_quotes_asks_for_the_phrase(corpus):
    assert "Hội nghị tổng kết công tác cải cách tư pháp" in ranked(
        "cải cách hành chính"
    )
    exact = ranked("“cải cách hành chính”")
    assert exact[0].startswith("Cải cách hành chính tại Bến Tre")
    assert not any(t.startswith("Hội nghị") for t in exact)
    assert ranked('"cai cach hanh chinh"')[0].startswith("Cải cách hành chính")


def test_filters_narrow_by_section_and_date(corpus, client):
    other = factories.category("Kinh tế")
    factories.article(
        "Cải cách hành chính trong thuế",
        category=other,
        published_at=timezone.now() - dt.timedelta(days=40),
    )
    query = "cải cách hành chính"
    assert len(ranked(query)) == 3  # the scattered one last
    assert ranked(query)[-1].startswith("Hội nghị tổng kết")
    assert ranked(query, **{"chuyen-muc": "kinh-te"}) == [
        "Cải cách hành chính trong thuế"
    ]
    recent = (timezone.localdate() - dt.timedelta(days=7)).strftime("%d/%m/%Y")
    found = ranked(query, tu=recent)
    assert found and "Cải cách hành chính trong thuế" not in found
    old = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    assert ranked(query, den=old) == ["Cải cách hành chính trong thuế"]
    html = client.get("/tim-kiem/", {"q": query, "tu": "31/02/2023"}).content.decode()
    assert "Từ ngày “31/02/2023” không phải là ngày" in html
    assert len(ranked(query, tu="31/02/2023")) == 3  # the words still search
    # The page links keep the filters.
    for n in range(25):
        factories.article(f"Cải cách hành chính số {n}", category=other)
    html = client.get(
        "/tim-kiem/", {"q": query, "chuyen-muc": "kinh-te"}
    ).content.decode()
    assert "chuyen-muc=kinh-te&amp;trang=2" in html


def test_a_broad_query_ranks_the_phrase_first_and_counts_no_further(
    corpus, monkeypatch, client
):
    """Past ``BROAD`` matches, the stories with the words together in the
    title or lead are ranked and the rest follow newest first; the count
    stops at the limit ("Hơn 5 kết quả")."""
    from articles import search

    monkeypatch.setattr(search, "BROAD", 5)
    section = factories.category("Kinh tế")
    now = timezone.now()
    for i in range(8):  # the words apart, and newer than the corpus
        factories.article(
            f"Hành trình đổi mới số {i}",
            lead="Tỉnh cải thiện môi trường đầu tư, cách làm mới hành chính.",
            category=section,
            published_at=now - dt.timedelta(minutes=i + 1),
        )
    found = ranked("cải cách hành chính")
    assert found[0].startswith("Cải cách hành chính tại Bến Tre")  # exact title
    assert found[1].startswith("Hội nghị tổng kết") or found[1].startswith("Hành trình")
    newest = [t for t in found if t.startswith("Hành trình")]
    assert newest == [f"Hành trình đổi mới số {i}" for i in range(len(newest))]
    html = client.get("/tim-kiem/", {"q": "cải cách hành chính"}).content.decode()
    assert "Hơn 5 kết quả cho “cải cách hành chính”" in html
    # A filter that leaves few matches counts them exactly.
    html = client.get(
        "/tim-kiem/", {"q": "cải cách hành chính", "chuyen-muc": "thoi-su"}
    ).content.decode()
    assert "2 kết quả cho “cải cách hành chính”" in html
    # Filters still narrow a broad query.
    assert all(
        t.startswith("Hành trình")
        for t in ranked("cải cách hành chính", **{"chuyen-muc": "kinh-te"})
    )
