"""Paste from Word and Google Docs: clean lists, headings, bold and italic,
links and tables, and no empty images (clipboard fixtures as the apps write them)."""

from pathlib import Path

import pytest

from articles.sanitize import clean_html

FIXTURES = Path(__file__).parent / "fixtures" / "paste"


@pytest.mark.parametrize("name", ["word", "gdocs"])
def test_a_clipboard_becomes_the_editors_clean_html(name):
    pasted = (FIXTURES / f"{name}.html").read_text(encoding="utf-8")
    expected = (FIXTURES / f"{name}.expected.html").read_text(encoding="utf-8").strip()
    cleaned = clean_html(pasted)
    assert cleaned == expected
    assert "·" not in cleaned and "mso" not in cleaned and "file:" not in cleaned


def test_plain_editor_html_is_left_as_it_is():
    html = "<ul><li>Một</li></ul><p><strong>Hai</strong> · ba</p>"
    assert clean_html(html) == html


def test_a_word_list_whose_paragraphs_sit_inside_a_div_still_becomes_a_list():
    pasted = (
        '<div class="WordSection1"><p class="MsoListParagraph" style="mso-list:l0 level1 lfo1">'
        '<span style="mso-list:Ignore">a)<span> </span></span>Thứ nhất</p>'
        '<p class="MsoListParagraph" style="mso-list:l0 level1 lfo1">'
        '<span style="mso-list:Ignore">b)<span> </span></span>Thứ hai</p></div>'
    )
    assert clean_html(pasted) == "<ol><li>Thứ nhất</li><li>Thứ hai</li></ol>"
