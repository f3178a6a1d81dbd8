"""Settings of the test suite: the project's own, in development mode, with
fast password hashing and nothing written into the checkout."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_DEBUG", "1")
# Jobs run in the test process after the commit, whatever the machine has.
os.environ.setdefault("NEWSROOM_TASKS", "immediate")

from newsroom.settings import *  # noqa: E402, F403
from newsroom.settings import DATABASES  # noqa: E402

_SCRATCH = Path(tempfile.mkdtemp(prefix="newsroom-tests-"))
atexit.register(shutil.rmtree, _SCRATCH, ignore_errors=True)

# Hashing a password the production way costs a third of a second; tests log
# in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
NEWSROOM_GENERATION_FILE = str(_SCRATCH / "content-generation")
MEDIA_ROOT = _SCRATCH / "media"
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not shared memory: a reader can read while another connection
    # holds a write transaction open (WAL), as on a real site.
    DATABASES["default"]["TEST"] = {"NAME": str(_SCRATCH / "test.sqlite3")}
