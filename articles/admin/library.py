"""Sections, people, topics and the photo library in the admin."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..models import Author, Category, PendingRelation, Photo, Tag
from ..services import store_photo_file
from .forms import PhotoFileField


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


class PhotoForm(forms.ModelForm):
    """A photo; an uploaded file must be a real image within the limits."""

    image = PhotoFileField(label=_("ảnh"))

    class Meta:
        model = Photo
        fields = ["image", "caption", "credit", "alt_text", "photographer"]

    def save(self, commit: bool = True):
        upload = self.cleaned_data.get("image")
        photo = super().save(commit=False)
        if upload and hasattr(upload, "content_type"):
            if self.initial.get("image"):
                photo.image = self.initial["image"]  # keep the old name until replaced
            store_photo_file(photo, upload, upload.name)
        if commit:
            photo.save()
        return photo


def thumbnail(photo: Photo, width: int = 96) -> str:
    if not photo.image:
        return format_html('<span class="missing-photo">{}</span>', _("thiếu ảnh"))
    return format_html(
        '<img src="{}" alt="" width="{}" loading="lazy" style="height:auto">',
        photo.image.url,
        width,
    )


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    form = PhotoForm
    list_display = ["preview", "__str__", "credit", "size", "usage", "created_at"]
    list_filter = [("image", admin.EmptyFieldListFilter)]
    search_fields = ["caption", "credit", "alt_text", "photographer"]
    date_hierarchy = "created_at"
    readonly_fields = ["preview_large", "used_in"]
    fields = [
        "preview_large",
        "image",
        "caption",
        "credit",
        "alt_text",
        "photographer",
        "used_in",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("articles"))

    @admin.display(description=_("ảnh"))
    def preview(self, obj: Photo) -> str:
        return thumbnail(obj)

    @admin.display(description=_("xem ảnh"))
    def preview_large(self, obj: Photo) -> str:
        return thumbnail(obj, 480)

    @admin.display(description=_("kích thước"))
    def size(self, obj: Photo) -> str:
        return f"{obj.width}×{obj.height}" if obj.width else "—"

    @admin.display(description=_("số bài dùng"), ordering="n")
    def usage(self, obj: Photo) -> int:
        return obj.n

    @admin.display(description=_("dùng trong bài"))
    def used_in(self, obj: Photo) -> str:
        articles = list(obj.articles.only("pk", "title"))
        if not articles:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="../../../article/{}/change/">{}</a></li>',
                ((a.pk, a.title) for a in articles),
            ),
        )


@admin.register(PendingRelation)
class PendingRelationAdmin(admin.ModelAdmin):
    """ "Xem thêm" titles still waiting for their article (filled by imports)."""

    list_display = ["title", "article"]
    search_fields = ["title", "article__title"]
    list_select_related = ["article"]
    readonly_fields = ["article", "title"]

    def has_add_permission(self, request) -> bool:
        return False
