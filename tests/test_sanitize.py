"""The one HTML allow-list: what the editor produces stays, nothing else does."""

import pytest

from articles.sanitize import clean_html

from . import factories


@pytest.mark.parametrize(
    "dirty, gone",
    [
        ("<p>a<script>alert(1)</script></p>", "<script"),
        ("<p>a<script>alert(1)</script></p>", "alert(1)"),
        ('<p onclick="steal()">a</p>', "onclick"),
        ('<img src="x.jpg" onerror="steal()">', "onerror"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "alert"),
        ('<img src="data:image/png;base64,AAAA">', "data:"),
        ('<a href="data:text/html,<script>x</script>">x</a>', "data:"),
        ('<p style="color:red">a</p>', "style"),
        ("<blink>a</blink><marquee>b</marquee>", "<blink"),
        ("<iframe src='https://evil.example'></iframe>", "iframe"),
        ("<style>p{}</style><p>a</p>", "<style"),
        ('<form action="/x"><input name="a"></form>', "<input"),
        ("<!-- bình luận --><p>a</p>", "bình luận"),
    ],
)
def test_dangerous_markup_never_survives(dirty, gone):
    assert gone.lower() not in clean_html(dirty).lower()


EDITOR_OUTPUT = [
    "<p>Đoạn văn <strong>đậm</strong>, <i>nghiêng</i>, <em>nhấn</em>.</p>",
    "<h2>Tiêu đề 2</h2>",
    "<h3>Tiêu đề 3</h3>",
    '<p><a href="https://chinhphu.vn/" rel="noopener noreferrer">liên kết</a></p>',
    '<p><a href="/chinh-phu-hanh-dong/" rel="noopener noreferrer">tương đối</a></p>',
    '<p><a href="mailto:toasoan@example.vn" rel="noopener noreferrer">thư</a></p>',
    "<ul><li>Một</li><li>Hai</li></ul>",
    "<ol><li>Một</li><li>Hai</li></ol>",
    "<blockquote><p>Trích dẫn.</p></blockquote>",
    '<figure class="table"><table><thead><tr><th>A</th></tr></thead>'
    "<tbody><tr><td>1</td></tr></tbody></table></figure>",
    '<figure class="image"><img src="/media/photos/a.jpg" alt="Ảnh"><figcaption>Chú thích</figcaption></figure>',
    '<figure class="photo" data-photo-id="3"><figcaption>Chú thích '
    '<span class="credit">TTXVN</span></figcaption></figure>',
    "<p>Dòng một<br>dòng hai</p>",
]


@pytest.mark.parametrize("markup", EDITOR_OUTPUT)
def test_everything_the_editor_produces_is_kept(markup):
    assert clean_html(markup) == markup


@pytest.mark.django_db
def test_the_database_never_holds_a_script_whatever_is_sent():
    article = factories.article(
        body='<p>Tin</p><script>x</script><a href="javascript:x">y</a>'
    )
    article.refresh_from_db()
    assert "<script" not in article.body and "javascript:" not in article.body


@pytest.mark.parametrize(
    "pasted",
    [
        '<p>Trước.</p><img src="file:///C:/Users/a/AppData/clip_image001.png" alt="">',
        '<p>Trước.</p><img src="data:image/png;base64,iVBORw0KGgo=" alt="x">',
        '<p>Trước.</p><img alt="không có nguồn">',
        '<p>Trước.</p><img src="" width="10">',
    ],
)
def test_an_image_without_a_usable_source_is_dropped(pasted):
    assert clean_html(pasted) == "<p>Trước.</p>"


def test_an_image_with_a_source_is_kept():
    markup = '<figure class="image"><img src="/media/a.jpg" alt="Ảnh"></figure>'
    assert clean_html(markup) == markup
