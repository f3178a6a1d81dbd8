"""The demo site of ``make run``: thirty stories in five sections, with photos.

The stories are written here in the wire-text format (docs/formats/) and
imported the way operators import wire copy, with generated images whose
captions say honestly what they are: "(Ảnh minh họa)". The sample story is
among them. Times are spread over the last days so the site looks alive.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from PIL import Image, ImageDraw

from . import text

# Five sections in the editors' order, and a colour for their illustrations.
SECTIONS = [
    ("Chính phủ hành động", (18, 78, 140)),
    ("Kinh tế", (20, 120, 90)),
    ("Xã hội", (170, 80, 30)),
    ("Văn hóa", (120, 50, 130)),
    ("Quốc tế", (60, 60, 70)),
]

AUTHORS = ["Minh Châu", "Thu Hà", "Quốc Dũng", "Lan Anh", "Hoàng Nam", "Thanh Tùng"]

# (section, title, place, lead, paragraphs, caption, tags)
STORIES = [
    ("Chính phủ hành động", "Chính phủ họp phiên thường kỳ tháng 11", "Hà Nội",
     "Chính phủ đánh giá tình hình kinh tế - xã hội tháng 11 và bàn giải pháp cho những tháng cuối năm.",
     ["Sáng nay, Thủ tướng chủ trì phiên họp Chính phủ thường kỳ tháng 11, trực tuyến tới 63 tỉnh, thành phố.",
      "Các thành viên Chính phủ thảo luận về giải ngân vốn đầu tư công, xuất khẩu và bảo đảm an sinh xã hội dịp cuối năm."],
     "Quang cảnh phiên họp.", "phiên họp Chính phủ"),
    ("Chính phủ hành động", "Đẩy mạnh dịch vụ công trực tuyến toàn trình", "Hà Nội",
     "Các bộ, ngành được yêu cầu hoàn thành việc cung cấp dịch vụ công trực tuyến toàn trình trong quý I.",
     ["Văn phòng Chính phủ cho biết tỷ lệ hồ sơ nộp trực tuyến đã tăng rõ rệt so với cùng kỳ.",
      "Người dân có thể theo dõi tiến độ giải quyết hồ sơ trên Cổng Dịch vụ công quốc gia."],
     "Người dân làm thủ tục tại bộ phận một cửa.", "cải cách hành chính"),
    ("Chính phủ hành động", "Tháo gỡ vướng mắc cho các dự án giao thông trọng điểm", "Đồng Nai",
     "Tổ công tác của Chính phủ làm việc với các địa phương về tiến độ các dự án cao tốc.",
     ["Tổ công tác đề nghị các địa phương đẩy nhanh giải phóng mặt bằng, bảo đảm nguồn vật liệu.",
      "Nhiều gói thầu đã vượt tiến độ nhờ thi công ba ca bốn kíp."],
     "Công trường thi công đường cao tốc.", "giao thông"),
    ("Chính phủ hành động", "Rà soát, cắt giảm điều kiện kinh doanh", "Hà Nội",
     "Các bộ tiếp tục rà soát văn bản quy phạm pháp luật để cắt giảm điều kiện kinh doanh không cần thiết.",
     ["Trong năm, hàng trăm điều kiện kinh doanh đã được bãi bỏ hoặc đơn giản hóa.",
      "Doanh nghiệp đánh giá chi phí tuân thủ giảm đáng kể."],
     "Doanh nghiệp trao đổi tại hội nghị đối thoại.", "cải cách hành chính"),
    ("Chính phủ hành động", "Kiểm tra công tác phòng, chống thiên tai tại miền Trung", "Quảng Ngãi",
     "Đoàn công tác kiểm tra phương án ứng phó mưa lũ và sơ tán người dân vùng trũng.",
     ["Các địa phương đã chuẩn bị lương thực, phương tiện và lực lượng sẵn sàng ứng cứu.",
      "Đoàn đề nghị không để người dân thiếu đói, mất an toàn khi mưa lũ xảy ra."],
     "Lực lượng cứu hộ diễn tập ứng phó lũ.", "thiên tai"),
    ("Kinh tế", "Xuất khẩu nông sản tăng mạnh trong 11 tháng", "Hà Nội",
     "Kim ngạch xuất khẩu nông, lâm, thủy sản tăng so với cùng kỳ nhờ giá gạo và trái cây ở mức cao.",
     ["Gạo, cà phê và sầu riêng là những mặt hàng đóng góp lớn vào mức tăng trưởng.",
      "Bộ Nông nghiệp khuyến nghị doanh nghiệp đa dạng hóa thị trường, nâng cao chất lượng."],
     "Đóng gói trái cây xuất khẩu.", "xuất khẩu"),
    ("Kinh tế", "Giải ngân vốn đầu tư công chuyển biến tích cực", "Hà Nội",
     "Nhiều bộ, ngành và địa phương có tỷ lệ giải ngân vốn đầu tư công cao hơn mức bình quân cả nước.",
     ["Bộ Tài chính đề nghị điều chuyển vốn từ dự án chậm sang dự án có khả năng giải ngân tốt.",
      "Các dự án lớn được ưu tiên bố trí đủ vốn để sớm hoàn thành."],
     "Công nhân làm việc tại một công trình.", "đầu tư công"),
    ("Kinh tế", "Doanh nghiệp nhỏ tiếp cận vốn ưu đãi dễ hơn", "TP Hồ Chí Minh",
     "Các ngân hàng thương mại mở rộng gói tín dụng lãi suất thấp cho doanh nghiệp nhỏ và vừa.",
     ["Thủ tục vay được rút gọn, hồ sơ có thể nộp trực tuyến.",
      "Hiệp hội doanh nghiệp kiến nghị kéo dài thời gian ưu đãi sang năm sau."],
     "Một xưởng sản xuất của doanh nghiệp nhỏ.", "doanh nghiệp"),
    ("Kinh tế", "Du lịch đón lượng khách quốc tế kỷ lục", "Đà Nẵng",
     "Lượng khách quốc tế đến Việt Nam trong tháng đạt mức cao nhất kể từ đầu năm.",
     ["Các điểm đến ven biển miền Trung và đảo Phú Quốc thu hút đông khách.",
      "Ngành du lịch đẩy mạnh quảng bá tại các thị trường châu Á và châu Âu."],
     "Du khách tham quan phố cổ.", "du lịch"),
    ("Kinh tế", "Giá xăng dầu điều chỉnh giảm nhẹ", "Hà Nội",
     "Liên bộ Công Thương - Tài chính điều chỉnh giá bán lẻ xăng dầu trong kỳ điều hành mới.",
     ["Giá xăng sinh học giảm vài trăm đồng mỗi lít, dầu diesel giảm nhẹ.",
      "Quỹ bình ổn giá tiếp tục không trích lập và không chi sử dụng."],
     "Cửa hàng xăng dầu.", "giá cả"),
    ("Kinh tế", "Đồng bằng sông Cửu Long chuyển đổi cây trồng thích ứng hạn mặn", "Cần Thơ",
     "Nông dân nhiều địa phương chuyển từ lúa sang cây ăn trái và nuôi trồng thủy sản.",
     ["Mô hình lúa - tôm cho thu nhập ổn định hơn trong mùa khô.",
      "Các địa phương hỗ trợ giống và kỹ thuật cho hộ chuyển đổi."],
     "Cánh đồng lúa ở miền Tây.", "nông nghiệp"),
    ("Xã hội", "Bảo đảm học sinh vùng khó khăn đến trường", "Hà Giang",
     "Ngành giáo dục hỗ trợ sách vở, áo ấm và bữa ăn bán trú cho học sinh vùng cao.",
     ["Nhiều điểm trường được sửa chữa, xây mới phòng học kiên cố.",
      "Giáo viên vận động học sinh bỏ học quay lại lớp."],
     "Học sinh vùng cao trong giờ học.", "giáo dục"),
    ("Xã hội", "Mở rộng bảo hiểm y tế cho người lao động tự do", "Hà Nội",
     "Tỷ lệ người dân tham gia bảo hiểm y tế tiếp tục tăng nhờ chính sách hỗ trợ mức đóng.",
     ["Người lao động tự do có thể đăng ký và đóng phí trực tuyến.",
      "Cơ quan bảo hiểm xã hội đẩy mạnh tuyên truyền tại các khu dân cư."],
     "Người dân khám bệnh bằng bảo hiểm y tế.", "y tế"),
    ("Xã hội", "Hỗ trợ người dân vùng lũ ổn định cuộc sống", "Quảng Bình",
     "Các địa phương trao nhà, giống cây trồng và vật nuôi cho hộ bị thiệt hại do mưa lũ.",
     ["Chính quyền ưu tiên hỗ trợ hộ nghèo, người già neo đơn.",
      "Nhiều tổ chức, cá nhân đã ủng hộ tiền và hàng hóa."],
     "Trao quà cho người dân vùng lũ.", "an sinh xã hội"),
    ("Xã hội", "Phòng ngừa tai nạn giao thông dịp cuối năm", "Hà Nội",
     "Lực lượng chức năng tăng cường tuần tra, xử lý vi phạm nồng độ cồn và tốc độ.",
     ["Số vụ tai nạn giao thông giảm so với cùng kỳ năm trước.",
      "Người dân được khuyến cáo không sử dụng rượu bia khi tham gia giao thông."],
     "Cảnh sát giao thông làm nhiệm vụ.", "giao thông"),
    ("Xã hội", "Đào tạo nghề gắn với nhu cầu doanh nghiệp", "Bắc Ninh",
     "Các trường nghề ký kết hợp tác với doanh nghiệp để đào tạo theo đơn đặt hàng.",
     ["Học viên được thực hành tại nhà máy ngay trong quá trình học.",
      "Phần lớn học viên có việc làm sau khi tốt nghiệp."],
     "Học viên thực hành tại xưởng.", "việc làm"),
    ("Xã hội", "Nước sạch về với bà con vùng ven biển", "Bến Tre",
     "Công trình cấp nước mới đưa nước sạch tới hàng nghìn hộ dân ven biển.",
     ["Người dân không còn phải mua nước ngọt giá cao trong mùa hạn mặn.",
      "Tỉnh tiếp tục đầu tư các tuyến ống tới vùng sâu."],
     "Người dân sử dụng nước sạch.", "nước sạch"),
    ("Văn hóa", "Phố cổ Hội An đón danh hiệu mới", "Quảng Nam",
     "Hội An tiếp tục được bình chọn là một trong những điểm đến văn hóa hấp dẫn.",
     ["Thành phố giữ gìn kiến trúc cổ và các lễ hội truyền thống.",
      "Đêm phố cổ với đèn lồng thu hút du khách trong và ngoài nước."],
     "Phố cổ về đêm.", "di sản"),
    ("Văn hóa", "Liên hoan nghệ thuật dân gian các dân tộc", "Lào Cai",
     "Hàng trăm nghệ nhân tham gia liên hoan, giới thiệu hát then, múa xòe và nhạc cụ dân tộc.",
     ["Liên hoan góp phần bảo tồn và phát huy bản sắc văn hóa vùng cao.",
      "Nhiều tiết mục được dàn dựng công phu, mang đậm nét riêng của từng dân tộc."],
     "Nghệ nhân biểu diễn tại liên hoan.", "văn hóa dân gian"),
    ("Văn hóa", "Thư viện số mở cửa miễn phí cho bạn đọc", "Hà Nội",
     "Thư viện Quốc gia đưa thêm hàng nghìn đầu sách số hóa phục vụ bạn đọc trực tuyến.",
     ["Bạn đọc có thể tra cứu tài liệu cổ, báo chí xưa từ xa.",
      "Thư viện tổ chức các buổi hướng dẫn sử dụng cho học sinh, sinh viên."],
     "Bạn đọc tại thư viện.", "sách"),
    ("Văn hóa", "Trùng tu di tích đình làng Bắc Bộ", "Hưng Yên",
     "Việc trùng tu được thực hiện theo đúng nguyên tắc bảo tồn, giữ lại kết cấu gốc.",
     ["Các hạng mục gỗ được gia cố bằng kỹ thuật truyền thống.",
      "Người dân địa phương góp công, góp của cho công trình."],
     "Một ngôi đình cổ.", "di sản"),
    ("Văn hóa", "Tuần phim Việt Nam giới thiệu tác phẩm mới", "TP Hồ Chí Minh",
     "Tuần phim trình chiếu miễn phí nhiều tác phẩm điện ảnh mới của các đạo diễn trẻ.",
     ["Khán giả được giao lưu với đoàn làm phim sau mỗi suất chiếu.",
      "Ban tổ chức mong muốn đưa điện ảnh Việt đến gần hơn với công chúng."],
     "Khán giả tại buổi chiếu phim.", "điện ảnh"),
    ("Quốc tế", "Việt Nam tham dự hội nghị cấp cao khu vực", "Jakarta",
     "Đoàn Việt Nam đóng góp nhiều sáng kiến về hợp tác kinh tế và ứng phó biến đổi khí hậu.",
     ["Các nhà lãnh đạo nhất trí tăng cường kết nối chuỗi cung ứng trong khu vực.",
      "Hội nghị thông qua tuyên bố chung về phát triển bền vững."],
     "Quang cảnh hội nghị.", "ngoại giao"),
    ("Quốc tế", "Thúc đẩy hợp tác thương mại với các đối tác châu Âu", "Brussels",
     "Hai bên trao đổi về việc tận dụng hiệp định thương mại tự do để tăng kim ngạch.",
     ["Doanh nghiệp hai bên quan tâm tới nông sản, dệt may và năng lượng sạch.",
      "Các cơ quan thương mại sẽ tổ chức thêm diễn đàn xúc tiến."],
     "Buổi làm việc giữa hai đoàn.", "thương mại"),
    ("Quốc tế", "Cộng đồng người Việt ở nước ngoài hướng về quê hương", "Paris",
     "Kiều bào tổ chức nhiều hoạt động quyên góp, ủng hộ đồng bào vùng thiên tai.",
     ["Các hội đoàn phối hợp với cơ quan đại diện chuyển tiền và hàng hóa về nước.",
      "Nhiều lớp tiếng Việt được mở cho con em kiều bào."],
     "Kiều bào tại một sự kiện cộng đồng.", "người Việt ở nước ngoài"),
    ("Quốc tế", "Hợp tác ứng phó biến đổi khí hậu", "Bangkok",
     "Các nước trong khu vực chia sẻ kinh nghiệm quản lý tài nguyên nước và phòng chống hạn hán.",
     ["Việt Nam giới thiệu các mô hình thích ứng ở đồng bằng sông Cửu Long.",
      "Các bên đề xuất thành lập mạng lưới cảnh báo sớm chung."],
     "Đại biểu dự hội thảo.", "biến đổi khí hậu"),
    ("Quốc tế", "Sinh viên Việt Nam đoạt giải cuộc thi khoa học quốc tế", "Seoul",
     "Nhóm sinh viên giành giải cao với đề tài ứng dụng trí tuệ nhân tạo trong nông nghiệp.",
     ["Đề tài giúp dự báo sâu bệnh trên cây lúa từ ảnh chụp bằng điện thoại.",
      "Nhóm dự định phát triển sản phẩm để nông dân sử dụng miễn phí."],
     "Nhóm sinh viên nhận giải.", "khoa học"),
    ("Chính phủ hành động", "Hội nghị trực tuyến về chuyển đổi số quốc gia", "Hà Nội",
     "Thủ tướng yêu cầu các bộ, ngành, địa phương đẩy nhanh kết nối, chia sẻ dữ liệu.",
     ["Cơ sở dữ liệu quốc gia về dân cư đã được khai thác cho nhiều dịch vụ công.",
      "Các địa phương được yêu cầu bố trí đủ nguồn lực cho chuyển đổi số."],
     "Đại biểu dự hội nghị tại điểm cầu.", "chuyển đổi số"),
    ("Văn hóa", "Ngày hội đọc sách của thiếu nhi", "Huế",
     "Hàng nghìn em nhỏ tham gia ngày hội với các hoạt động kể chuyện, vẽ tranh theo sách.",
     ["Ngày hội khuyến khích thói quen đọc sách từ nhỏ.",
      "Nhiều nhà xuất bản tặng sách cho thư viện trường học."],
     "Thiếu nhi đọc sách tại ngày hội.", "sách"),
]  # fmt: skip


def illustration(path: Path, colour: tuple[int, int, int], seed: int) -> None:
    """Draw an abstract illustration (shapes on a gradient): honest, not a photo."""
    rng = random.Random(seed)
    width, height = 1200, 800
    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        shade = tuple(min(255, c + y * 60 // height) for c in colour)
        draw.line([(0, y), (width, y)], fill=shade)
    for _ in range(7):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(60, 260)
        tint = tuple(min(255, c + rng.randrange(40, 120)) for c in colour)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=tint)
    image.save(path, "JPEG", quality=82)


def write_stories(folder: Path, now: dt.datetime | None = None) -> int:
    """Write the demo stories (wire text) and their illustrations into ``folder``.

    Return how many stories were written. The same call writes the same
    files, so re-running the demo set-up imports nothing new.
    """
    folder.mkdir(parents=True, exist_ok=True)
    photos = folder / "anh"
    photos.mkdir(exist_ok=True)
    colours = dict(SECTIONS)
    start = (now or dt.datetime.now(text.VN_TZ)).replace(
        minute=0, second=0, microsecond=0
    )
    names = [name for name, _colour in SECTIONS]
    seen: dict[str, int] = {}
    for i, story in enumerate(STORIES):
        section, title, place, lead, paragraphs, caption, tag = story
        stem = text.slugify_vi(title)
        # The sections take turns, so the newest stories come from all of them.
        rank = seen.setdefault(section, 0) * len(names) + names.index(section)
        seen[section] += 1
        published = start - dt.timedelta(hours=3 * rank + 1)
        author = AUTHORS[i % len(AUTHORS)]
        blocks = [
            "---",
            f"published_at: {published.isoformat()}",
            f"external_id: demo-{stem}",
            f"tags: {tag}",
            "status: published",
            "---",
            "",
            section,
            title,
            place,
            lead,
            f"{caption} (Ảnh minh họa)",
            *paragraphs,
            author,
        ]
        head, body = blocks[:7], blocks[7:]
        (folder / f"{stem}.txt").write_text(
            "\n".join(head) + "\n" + "\n\n".join(body) + "\n", encoding="utf-8"
        )
        illustration(photos / f"{stem}-1.jpg", colours[section], seed=i)
    return len(STORIES)
