"""The newsroom in the Django admin ("Tòa soạn")."""

from ..photos import admin as photos  # noqa: F401  (registers the photo library)
from . import accounts, articles, jobs, library  # noqa: F401  (registers the model admins)
