"""A refused concurrent save: what the other save changed, and saving over it.

The version a form was opened at is found among the story's revisions
(they record the version number). Its fields, the newer version's and the
user's give a field-by-field three-way merge: what the user changed wins,
what they left alone takes the newer value.
"""

from __future__ import annotations

from reversion.models import Version

from .. import desk, sanitize, text
from ..models import Article
from . import views

MERGED = ("title", "slug", "lead", "body", "category", "location", "agency")


def _opened_version(article: Article, number):
    if number is None:
        return None
    for version in (
        Version.objects.get_for_object(article)
        .select_related("revision", "revision__user")
        .order_by("-revision__date_created")[:50]
    ):
        if version.field_dict.get("version") == number:
            return version
    return None


def opened_state(article: Article, number) -> dict | None:
    """Return the fields of the story as the form was opened, if recorded."""
    version = _opened_version(article, number)
    if version is None:
        return None
    data = version.field_dict
    state = {name: data.get(name) or "" for name in MERGED if name != "category"}
    state["category"] = data.get("category_id")
    state["_snapshot"] = views._snapshot(version)
    return state


def _same(name: str, mine, opened) -> bool:
    if name == "category":
        return getattr(mine, "pk", mine) == opened
    if name == "body":
        clean = lambda v: sanitize.clean_html(text.nfc(v or ""))  # noqa: E731
        return clean(mine) == clean(opened)
    return text.clean_line(mine or "") == text.clean_line(opened or "")


def take_unchanged(cleaned: dict, opened: dict | None, current: Article) -> None:
    """Give ``cleaned`` the newer version's value where the user changed nothing."""
    if opened is None:  # no record of the opened version: the user's form wins
        return
    for name in MERGED:
        if name in cleaned and _same(name, cleaned[name], opened[name]):
            cleaned[name] = getattr(current, name)


def describe(current: Article, opened: dict | None) -> dict:
    """Who saved the newer version, when, and what they changed (rows of diffs)."""
    version = (
        Version.objects.get_for_object(current)
        .select_related("revision", "revision__user")
        .order_by("-revision__date_created")
        .first()
    )
    by = desk.display_name(version.revision.user) if version else ""
    at = text.format_time_vi(version.revision.date_created) if version else ""
    now = views._current(Article.objects.with_byline().get(pk=current.pk))
    if opened is not None:
        rows = views._changes(opened["_snapshot"], now)
    else:  # the newer version as it stands
        empty = dict.fromkeys(now, "")
        rows = views._changes(empty, now)
    return {"by": by, "at": at, "version": current.version, "rows": rows}
