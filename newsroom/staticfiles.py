"""The static files' storage: WhiteNoise's compressed, hashed files, each
address worked out once per process."""

from __future__ import annotations

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed static addresses, remembered.

    The manifest is read when the process starts and does not change under
    it, so ``{% static 'css/site.css' %}`` gives the same address on every
    page; Django works it out again each time (cleaning the name, looking
    it up, joining it to ``STATIC_URL``), eight times a reader's page.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._addresses: dict[str, str] = {}

    def url(self, name, force=False):
        if force or settings.DEBUG:  # DEBUG serves the names unhashed
            return super().url(name, force)
        try:
            return self._addresses[name]
        except KeyError:
            address = self._addresses[name] = super().url(name)
            return address
