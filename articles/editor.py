"""The rich-text editor, set up in one place.

The body is edited with CKEditor 5 through django-ckeditor-5. Forms take
their widget from :func:`body_widget`; settings take ``CKEDITOR_5_CONFIGS``
from here. Changing editors later touches this module only.
"""

from __future__ import annotations

CONFIG_NAME = "newsroom"

# The toolbar of a newsroom: what the sanitizer's allow-list also accepts.
CKEDITOR_5_CONFIGS = {
    "default": {"toolbar": ["bold", "italic", "link"]},
    CONFIG_NAME: {
        "language": "vi",
        "toolbar": {
            "items": [
                "heading",
                "|",
                "bold",
                "italic",
                "link",
                "|",
                "bulletedList",
                "numberedList",
                "blockQuote",
                "insertTable",
                "|",
                "imageUpload",
                "|",
                "undo",
                "redo",
            ],
            "shouldNotGroupWhenFull": True,
        },
        "heading": {
            "options": [
                {
                    "model": "paragraph",
                    "title": "Đoạn văn",
                    "class": "ck-heading_paragraph",
                },
                {
                    "model": "heading2",
                    "view": "h2",
                    "title": "Tiêu đề 2",
                    "class": "ck-heading_heading2",
                },
                {
                    "model": "heading3",
                    "view": "h3",
                    "title": "Tiêu đề 3",
                    "class": "ck-heading_heading3",
                },
            ]
        },
        "image": {
            "toolbar": ["imageTextAlternative", "toggleImageCaption"],
        },
        "table": {"contentToolbar": ["tableColumn", "tableRow", "mergeTableCells"]},
        "link": {"defaultProtocol": "https://"},
    },
}


def body_widget():
    """Return the widget that edits an article body."""
    # Imported here: settings import this module before apps are ready.
    from django_ckeditor_5.widgets import CKEditor5Widget

    return CKEditor5Widget(config_name=CONFIG_NAME)
