"""The photo library in the admin: the photo form, thumbnails, where a photo is used."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..models import Photo
from ..search import FoldedSearchMixin
from . import images, renditions
from .intake import store_photo_file


class PhotoFileField(forms.FileField):
    """An uploaded image, checked by the project's one image check.

    A plain file field (not Django's ImageField), so that what is refused
    gets our Vietnamese reason naming the file.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.ClearableFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, data):
        upload = super().to_python(data)
        if upload:
            try:
                images.inspect_image(upload, upload.size)
            except images.ImageRejected as exc:
                raise forms.ValidationError(f"{upload.name}: {exc}") from None
        return upload


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
        renditions.smallest_url(photo, width),
        width,
    )


@admin.register(Photo)
class PhotoAdmin(FoldedSearchMixin, admin.ModelAdmin):
    form = PhotoForm
    list_display = ["preview", "__str__", "credit", "size", "usage", "created_at"]
    list_filter = [("image", admin.EmptyFieldListFilter)]
    search_fields = ["caption", "credit", "alt_text", "photographer"]
    search_help_text = _(
        "Gõ có dấu hay không dấu đều được: “cong tri” tìm ra “Công trí”."
    )
    folded_search_fields = ("search_text",)
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
