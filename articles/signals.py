"""Keep caches in step with committed content: pages, the section tree, edges.

Any save or delete of what a page shows, by any path (a service, the admin,
an import, a plain ``save()`` in a shell), drops cached pages once its
transaction commits. The section tree is cached under the same generation,
so it moves with it. Edge caches (:mod:`newsroom.edge`) drop exactly the
pages that show what changed, by their tags, after the same commit.
"""

from django.db.models import Q
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)
from django.dispatch import receiver
from django.utils import timezone

from newsroom import edge, pagecache

from .models import (
    Article,
    ArticleAuthor,
    ArticlePhoto,
    Author,
    Category,
    Correction,
    FrontPin,
    LiveEntry,
    Photo,
    Tag,
)

SHOWN_ON_PAGES = (
    FrontPin,
    LiveEntry,
    Article,
    ArticleAuthor,
    ArticlePhoto,
    Author,
    Category,
    Correction,
    Photo,
    Tag,
)
LINKS = (Article.tags.through, Article.related.through)


@receiver([post_save, post_delete])
def content_changed(sender, using=None, **kwargs) -> None:
    """Drop cached pages after the commit when anything a page shows changed."""
    if sender in SHOWN_ON_PAGES:
        pagecache.content_changed(using)
        tags, stories = edge_purge(kwargs["instance"])
        edge.purge_after_commit(tags, stories, using=using)


@receiver([pre_save, pre_delete], sender=Article)
def leaving_lists(sender, instance, using=None, raw=False, **kwargs) -> None:
    """Before a story readers can see is changed or deleted: the lists it is
    on now are dropped from the edges after the commit, whatever it becomes.

    After the commit the purge job sees only where the story is then; a
    story unpublished, archived, put back to a later time or deleted is on
    no list by then, and the feeds and sitemaps, which name no story (a
    sitemap of 2,000 would not fit a header), would keep it.
    """
    if raw or instance.pk is None or not edge.backends():
        return
    edge.purge_after_commit(edge.story_tags([instance.pk]), using=using)


@receiver(post_delete, sender=Photo)
def photo_deleted(sender, instance, **kwargs) -> None:
    from .photos.intake import forget_files

    forget_files(instance)


def edge_purge(instance) -> tuple[set, set]:
    """What a saved or deleted object drops from edge caches: tags, stories."""
    if isinstance(instance, Article):
        return set(), {instance.pk}
    if isinstance(instance, (ArticleAuthor, ArticlePhoto, LiveEntry)):
        return set(), {instance.article_id}
    if isinstance(instance, Correction):
        return {edge.CORRECTIONS}, {instance.article_id}
    if isinstance(instance, Photo):
        if not edge.backends():
            return set(), set()
        shown = Article.objects.filter(
            Q(featured_photo=instance.pk)
            | Q(share_photo=instance.pk)
            | Q(photos=instance.pk)
        )
        return set(), set(shown.values_list("pk", flat=True).distinct())
    if isinstance(instance, Author):
        return {edge.author(instance.pk)}, set()
    if isinstance(instance, Tag):
        return {edge.topic(instance.pk)}, set()
    if isinstance(instance, FrontPin):
        tags = {edge.HOME}
        if instance.category_id:
            tags.add(edge.section(instance.category_id))
        return tags, {instance.article_id}
    # A section: the menu of every page.
    return {edge.ALL}, set()


def next_timed_change() -> float | None:
    """When published content next changes by itself: a scheduled story (an
    embargo's included) goes out, or a front-page pin ends.

    ``newsroom.pagecache`` moves the content generation at that time, so
    every cached page and list shows it then (one query of the few times
    still ahead, once per generation and process).
    """
    now = timezone.now()
    stories = Article.objects.scheduled().order_by().values_list("published_at")
    pins = (
        FrontPin.objects.filter(pinned_until__gt=now)
        .order_by()
        .values_list("pinned_until")
    )
    found = [t.timestamp() for (t,) in stories.union(pins, all=True)]
    return min(found) if found else None


pagecache.next_timed_change = next_timed_change


@receiver(m2m_changed)
def links_changed(sender, action, using=None, **kwargs) -> None:
    if sender in LINKS and action.startswith("post_"):
        pagecache.content_changed(using)
        if isinstance(kwargs.get("instance"), Article):
            stories = {kwargs["instance"].pk}
            if sender is Article.related.through:
                stories |= set(kwargs.get("pk_set") or ())
        else:  # from a topic's side: the stories given or taken from it
            stories = set(kwargs.get("pk_set") or ())
            if not kwargs.get("pk_set") and action == "post_clear":
                return edge.purge_after_commit({edge.ALL}, using=using)
        edge.purge_after_commit((), stories, using=using)
