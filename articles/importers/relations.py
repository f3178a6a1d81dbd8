"""The "Xem thêm" of imported stories: link the titles that exist, keep the rest.

A title that names no article yet is kept as a :class:`PendingRelation` and
linked as soon as an article with that title arrives, whatever the order of
the files.
"""

from __future__ import annotations

from .. import text
from ..models import Article, PendingRelation
from ..services import link_related
from .index import Index


def relate(
    index: Index, pairs: list[tuple[Article, list[str]]], replaced: set[int]
) -> dict[int, list[str]]:
    """Link each article's related titles; return {article id: titles still missing}.

    The caller holds the transaction. ``replaced`` are the ids of the
    articles that were stored before: they lose their old links (new ones
    have none to lose).
    """
    arrived = {a.search_title: a.pk for a, _ in pairs}
    ids = [a.pk for a, _ in pairs]
    if replaced:
        PendingRelation.objects.filter(article_id__in=replaced).delete()
    wanted_all = {f for _, titles in pairs for t in titles if (f := text.fold(t))}
    known = index.titled(wanted_all - set(arrived))
    links, pending, missing_by_article = [], [], {}
    for article, titles in pairs:
        wanted = {f: t for t in titles if (f := text.fold(t))}
        wanted.pop(article.search_title, None)
        found = {
            f: arrived.get(f) or known[f] for f in wanted if f in arrived or f in known
        }
        links += [(article.pk, pk) for pk in dict.fromkeys(found.values())]
        missing = {f: t for f, t in wanted.items() if f not in found}
        pending += [
            PendingRelation(article=article, title=t, title_folded=f)
            for f, t in missing.items()
        ]
        if missing:
            missing_by_article[article.pk] = list(missing.values())
    link_related(links=links, replacing=sorted(replaced))
    PendingRelation.objects.bulk_create(pending)
    _resolve_waiting(index, arrived, skip=set(ids))
    return missing_by_article


def _resolve_waiting(index: Index, arrived: dict[str, int], skip: set[int]) -> None:
    """Link earlier articles whose "Xem thêm" named one that just arrived."""
    folded = index.waiting_for(arrived)
    if not folded:
        return
    waiting = list(
        PendingRelation.objects.filter(title_folded__in=folded).exclude(
            article_id__in=skip
        )
    )
    if waiting:
        link_related(links=[(p.article_id, arrived[p.title_folded]) for p in waiting])
        PendingRelation.objects.filter(pk__in=[p.pk for p in waiting]).delete()
