"""Static files in production: hashed names from the manifest, so a deploy's
new stylesheet is never read from a reader's old cached copy."""

import json

import pytest

from newsroom.staticfiles import StaticFilesStorage


@pytest.fixture
def storage(tmp_path, settings):
    settings.DEBUG = False
    manifest = {
        "paths": {"css/site.css": "css/site.0a1b2c3d4e5f.css"},
        "version": "1.1",
    }
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return StaticFilesStorage(location=tmp_path, base_url="/static/")


def test_a_static_address_is_the_manifest_s_hashed_name_every_time(storage):
    for _ in range(2):  # the second from what the process remembers
        assert storage.url("css/site.css") == "/static/css/site.0a1b2c3d4e5f.css"


def test_a_file_missing_from_the_manifest_is_an_error_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="css/moi.css"):
            storage.url("css/moi.css")


def test_debug_serves_the_names_as_they_are(storage, settings):
    assert storage.url("css/site.css").endswith(".0a1b2c3d4e5f.css")
    settings.DEBUG = True
    assert storage.url("css/site.css") == "/static/css/site.css"
