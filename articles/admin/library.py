"""Sections, people and topics in the admin (the photo library: ``photos.admin``)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..models import Author, Category, Feed, PendingRelation, Tag


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["indented_name", "slug", "order", "show_in_menu", "article_count"]
    list_editable = ["order", "show_in_menu"]
    list_filter = ["show_in_menu"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["parent"]
    fields = ["name", "slug", "parent", "description", "order", "show_in_menu"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(n=Count("articles")).order_by("path")
        )

    @admin.display(description=_("tên"), ordering="path")
    def indented_name(self, obj: Category) -> str:
        return "— " * obj.path.count("/") + obj.name

    @admin.display(description=_("số bài"), ordering="n")
    def article_count(self, obj: Category) -> int:
        return obj.n


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user", "article_count"]
    search_fields = ["name", "slug", "user__username"]
    autocomplete_fields = ["user", "photo"]
    list_select_related = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("articles"))

    @admin.display(description=_("số bài"), ordering="n")
    def article_count(self, obj: Author) -> int:
        return obj.n


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]


@admin.register(PendingRelation)
class PendingRelationAdmin(admin.ModelAdmin):
    """ "Xem thêm" titles still waiting for their article (filled by imports)."""

    list_display = ["title", "article"]
    search_fields = ["title", "article__title"]
    list_select_related = ["article"]
    readonly_fields = ["article", "title"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    """Partners' feeds that ``manage.py poll_feeds`` reads for new stories."""

    list_display = [
        "name",
        "url",
        "section",
        "status",
        "active",
        "last_polled_at",
        "last_result",
    ]
    list_editable = ["active"]
    list_filter = ["active", "status"]
    search_fields = ["name", "url"]
    autocomplete_fields = ["section"]
    fields = [
        "name",
        "url",
        "section",
        "agency",
        "status",
        "active",
        "last_polled_at",
        "last_result",
    ]
    readonly_fields = ["last_polled_at", "last_result"]
