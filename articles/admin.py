"""The newsroom in the Django admin: every model registered, searchable."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from . import editor, text
from .models import Article, ArticleAuthor, Author, Category, Photo, Tag


class FoldedSearchMixin:
    """Search the folded columns so "ben tre" finds "Bến Tre"."""

    folded_search_fields: tuple[str, ...] = ()

    def get_search_results(self, request, queryset, search_term):
        term = text.fold(search_term)
        if not term or not self.folded_search_fields:
            return super().get_search_results(request, queryset, search_term)
        from django.db.models import Q

        for word in term.split():
            q = Q()
            for field in self.folded_search_fields:
                q |= Q(**{f"{field}__contains": word})
            queryset = queryset.filter(q)
        return queryset, False


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["indented_name", "slug", "order", "show_in_menu"]
    list_editable = ["order", "show_in_menu"]
    list_filter = ["show_in_menu"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["parent"]
    fields = ["name", "slug", "parent", "description", "order", "show_in_menu"]

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("path")

    @admin.display(description=_("tên"), ordering="path")
    def indented_name(self, obj: Category) -> str:
        return "— " * obj.path.count("/") + obj.name


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["user", "photo"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["__str__", "credit", "has_image", "width", "height", "created_at"]
    list_filter = [("image", admin.EmptyFieldListFilter)]
    search_fields = ["caption", "credit", "alt_text", "photographer"]
    date_hierarchy = "created_at"

    @admin.display(description=_("có ảnh"), boolean=True)
    def has_image(self, obj: Photo) -> bool:
        return bool(obj.image)


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    extra = 1
    autocomplete_fields = ["author"]


def _formfield(field, **kwargs):
    """Build form fields; links typed without a scheme are taken as https."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "category", "title", "slug", "lead", "body", "featured_photo",
            "location", "agency", "tags", "related", "photos",
            "status", "published_at", "external_id", "source_url",
        ]  # fmt: skip
        widgets = {"body": editor.body_widget()}
        formfield_callback = _formfield


@admin.register(Article)
class ArticleAdmin(FoldedSearchMixin, admin.ModelAdmin):
    form = ArticleForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "category", "status", "published_at", "updated_at"]
    list_filter = ["status", "category", "published_at"]
    list_select_related = ["category"]
    search_fields = ["title"]
    folded_search_fields = ("search_title", "search_text")
    date_hierarchy = "published_at"
    autocomplete_fields = ["category", "tags", "related", "featured_photo", "photos"]
    inlines = [ArticleAuthorInline]
    fieldsets = [
        (
            None,
            {"fields": ["category", "title", "slug", "lead", "body", "featured_photo"]},
        ),
        (
            _("Thông tin"),
            {"fields": ["location", "agency", "tags", "related", "photos"]},
        ),
        (_("Xuất bản"), {"fields": ["status", "published_at"]}),
        (
            _("Nguồn nhập"),
            {"fields": ["external_id", "source_url"], "classes": ["collapse"]},
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "articleauthor_set",
                    queryset=ArticleAuthor.objects.select_related("author"),
                )
            )
        )

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
