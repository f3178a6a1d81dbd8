"""The newsroom in the Django admin ("Tòa soạn")."""

from . import articles, library  # noqa: F401  (registers the model admins)
