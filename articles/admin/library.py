"""Sections, people and topics in the admin (the photo library: ``photos.admin``)."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import services, workflow
from ..models import (
    Article,
    Author,
    Category,
    Feed,
    FrontPin,
    PendingRelation,
    PlannedItem,
    Tag,
)


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


@admin.register(FrontPin)
class FrontPinAdmin(admin.ModelAdmin):
    """ "Sắp xếp trang chủ": the stories editors put in the front page's places.

    An ordered list: the lead, the top stories by their order, each section's
    top story; each until its "ghim đến" time. Every change is a revision
    of its own (:func:`articles.services.save_pin`) and shows at once.
    """

    list_display = [
        "place",
        "category",
        "position",
        "article",
        "pinned_until",
        "in_force",
    ]
    list_editable = ["position", "pinned_until"]
    list_filter = ["place"]
    list_select_related = ["article", "category"]
    autocomplete_fields = ["article", "category"]
    fields = ["place", "category", "position", "article", "pinned_until"]

    @admin.display(description=_("đang hiện"), boolean=True)
    def in_force(self, obj: FrontPin) -> bool:
        ended = obj.pinned_until is not None and obj.pinned_until <= timezone.now()
        return (
            not ended and Article.objects.published().filter(pk=obj.article_id).exists()
        )

    def _editor(self, request) -> bool:
        return request.user.is_active and workflow.can_publish(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._editor(request)

    def has_add_permission(self, request) -> bool:
        return self._editor(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._editor(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._editor(request)

    def save_model(self, request, obj, form, change) -> None:
        try:
            services.save_pin(pin=obj, user=request.user)
        except services.ServiceError as exc:  # the form checked the same
            raise PermissionDenied(exc.message) from exc

    def delete_model(self, request, obj) -> None:
        services.remove_pin(pin=obj, user=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for pin in queryset.select_related("article", "category"):
            services.remove_pin(pin=pin, user=request.user)


@admin.register(PlannedItem)
class PlannedItemAdmin(admin.ModelAdmin):
    """ "Lịch biên tập": assignments, story or not yet, on a day or week board."""

    list_display = ["slugline", "planned_at", "category", "assignee", "article"]
    list_filter = ["category"]
    search_fields = ["slugline", "notes"]
    autocomplete_fields = ["category"]
    fields = ["slugline", "category", "assignee", "planned_at", "notes"]
    date_hierarchy = "planned_at"
    change_list_template = "admin/articles/planneditem/change_list.html"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            kwargs["queryset"] = get_user_model().objects.filter(
                is_active=True, is_staff=True
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.has_perm("articles.view_article")

    def has_add_permission(self, request) -> bool:
        return request.user.is_active and workflow.can_publish(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_add_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_add_permission(request)

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("bang/", wrap(self.board), name="articles_planneditem_board"),
            path(
                "<int:pk>/viet/",
                wrap(self.start),
                name="articles_planneditem_start",
            ),
            *super().get_urls(),
        ]

    def board(self, request):
        """The week (or, with ``?ngay=``, the day): planned items and scheduled
        stories side by side, each marked for what it is."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        day = _read_day(request.GET.get("ngay"))
        start = day or _read_day(request.GET.get("tuan")) or today
        if day is None:
            start -= dt.timedelta(days=start.weekday())  # the Monday
        days = [start] if day else [start + dt.timedelta(days=i) for i in range(7)]
        zone = timezone.get_current_timezone()
        begin = dt.datetime.combine(days[0], dt.time(), zone)
        end = dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time(), zone)
        plans = PlannedItem.objects.filter(planned_at__gte=begin, planned_at__lt=end)
        plans = plans.select_related("category", "assignee", "article")
        scheduled = (
            Article.objects.scheduled()
            .filter(published_at__gte=begin, published_at__lt=end)
            .select_related("category")
            .exclude(plan__isnull=False)
        )
        columns = {d: [] for d in days}
        for item in plans:
            columns[timezone.localdate(item.planned_at)].append(
                {"kind": "plan", "at": item.planned_at, "item": item}
            )
        for article in scheduled:
            columns[timezone.localdate(article.published_at)].append(
                {"kind": "scheduled", "at": article.published_at, "article": article}
            )
        for entries in columns.values():
            entries.sort(key=lambda e: e["at"])
        context = {
            **self.admin_site.each_context(request),
            "title": _("Lịch biên tập"),
            "opts": self.model._meta,
            "columns": list(columns.items()),
            "day": day,
            "previous": (days[0] - dt.timedelta(days=1 if day else 7)).isoformat(),
            "next": (days[0] + dt.timedelta(days=1 if day else 7)).isoformat(),
            "today": today,
            "can_plan": self.has_add_permission(request),
        }
        return TemplateResponse(
            request, "admin/articles/planneditem/board.html", context
        )

    def start(self, request, pk: int):
        """ "Bắt đầu viết": the planned item becomes a draft; open it."""
        if request.method != "POST":
            raise PermissionDenied
        item = get_object_or_404(PlannedItem, pk=pk)
        try:
            article = services.start_from_plan(item=item, user=request.user)
        except services.PermissionRefused as exc:
            raise PermissionDenied(exc.message) from exc
        except services.ServiceError as exc:
            messages.error(request, exc.message)
            return redirect(reverse("admin:articles_planneditem_board"))
        return redirect(reverse("admin:articles_article_change", args=[article.pk]))


def _read_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
