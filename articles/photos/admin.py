"""The photo library in the admin: the photo form, thumbnails, where a photo is used."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..choices import Status
from ..models import Photo
from ..search import FoldedSearchMixin
from . import images, renditions
from .intake import refocus, store_photo_file


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
        fields = [
            "image", "caption", "credit", "alt_text", "photographer",
            "focal_x", "focal_y",
        ]  # fmt: skip
        widgets = {
            "focal_x": forms.NumberInput(attrs={"step": "0.01", "min": 0, "max": 1}),
            "focal_y": forms.NumberInput(attrs={"step": "0.01", "min": 0, "max": 1}),
        }
        labels = {
            "caption": _("chú thích mặc định"),
            "credit": _("nguồn ảnh mặc định"),
            "alt_text": _("mô tả thay thế mặc định"),
        }
        help_texts = {
            "caption": _(
                "Dùng khi ảnh được chèn vào một bài; mỗi bài giữ chú thích riêng "
                "của nó, sửa ở đây không đổi các bài đã dùng ảnh."
            )
        }

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
        "focal_x",
        "focal_y",
        "image",
        "caption",
        "credit",
        "alt_text",
        "photographer",
        "used_in",
    ]

    class Media:
        js = ["articles/admin/focal.js"]
        css = {"all": ["articles/admin/focal.css"]}

    def save_model(self, request, obj, form, change) -> None:
        """Save; a new focal point makes its crops at once (the old ones go after)."""
        super().save_model(request, obj, form, change)
        if change and {"focal_x", "focal_y"} & set(form.changed_data):
            refocus(obj)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("articles"))

    # --- deleting a photo in use: refused, or removed from its stories first ---

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        if self.has_delete_permission(request):
            actions["delete_unused"] = (
                PhotoAdmin.delete_unused,
                "delete_unused",
                _("Xóa các ảnh đã chọn (ảnh đang dùng trong bài được giữ lại)"),
            )
        return actions

    def delete_unused(self, request, queryset):
        from django.contrib import messages

        used = set(
            queryset.filter(
                Q(articles__isnull=False) | Q(featured_in__isnull=False)
            ).values_list("pk", flat=True)
        )
        kept = [p for p in queryset if p.pk in used]
        deleted = 0
        for photo in queryset:
            if photo.pk not in used:
                photo.delete()
                deleted += 1
        self.message_user(
            request, _("Đã xóa %(n)d ảnh.") % {"n": deleted}, messages.SUCCESS
        )
        for photo in kept:
            self.message_user(
                request,
                _(
                    "Giữ lại “%(photo)s”: ảnh đang dùng trong bài; mở ảnh để gỡ khỏi bài rồi xóa."
                )
                % {"photo": photo},
                messages.WARNING,
            )

    def delete_view(self, request, object_id, extra_context=None):
        photo = self.get_object(request, object_id)
        if photo is None or not self.has_delete_permission(request, photo):
            return super().delete_view(request, object_id, extra_context)
        stories = list(uses_of_photo(photo))
        if not stories:
            return super().delete_view(request, object_id, extra_context)
        return delete_used_photo(self, request, photo, stories)

    @admin.display(description=_("ảnh"))
    def preview(self, obj: Photo) -> str:
        return thumbnail(obj)

    @admin.display(description=_("xem ảnh"))
    def preview_large(self, obj: Photo) -> str:
        """The photo, where a click sets the focal point (focal.js)."""
        if not obj.image:
            return thumbnail(obj, 480)
        return format_html(
            '<div class="focal-picker" data-help="{}">{}<span class="focal-mark"'
            " hidden></span></div>",
            _("Bấm vào chủ thể của ảnh: mọi ảnh cắt (16:9, 1:1, 4:3) giữ điểm này."),
            thumbnail(obj, 480),
        )

    @admin.display(description=_("kích thước"))
    def size(self, obj: Photo) -> str:
        return f"{obj.width}×{obj.height}" if obj.width else "—"

    @admin.display(description=_("số bài dùng"), ordering="n")
    def usage(self, obj: Photo) -> int:
        return obj.n

    @admin.display(description=_("dùng trong bài"))
    def used_in(self, obj: Photo) -> str:
        articles = list(uses_of_photo(obj))
        if not articles:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a>{}</li>',
                (
                    (
                        reverse("admin:articles_article_change", args=[a.pk]),
                        a.title,
                        _published_mark(a),
                    )
                    for a in articles
                ),
            ),
        )


def _published_mark(article) -> str:
    if article.status == Status.PUBLISHED:
        return format_html(
            ' <strong class="is-published">({})</strong>', _("đã xuất bản")
        )
    return ""


def uses_of_photo(photo: Photo):
    """The stories that show a photo: in the body or as the featured photo."""
    from ..models import Article

    return (
        Article.objects.filter(Q(photos=photo) | Q(featured_photo=photo))
        .distinct()
        .only("pk", "title", "status")
        .order_by("-pk")
    )


def delete_used_photo(model_admin, request, photo: Photo, stories: list):
    """Refuse to delete a photo in use; or take it out of every story, then delete.

    Each story loses the figure and the featured photo through the write
    service (one revision per story); any refusal leaves everything as it was.
    """
    from django.contrib import messages
    from django.db import transaction
    from django.shortcuts import redirect
    from django.template.response import TemplateResponse

    from .. import services

    if request.method == "POST" and request.POST.get("go_khoi_bai") == "1":
        try:
            with transaction.atomic():
                for article in stories:
                    services.detach_photo(
                        article=article, photo=photo, user=request.user
                    )
                photo.delete()
        except services.ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Đã gỡ ảnh khỏi %(n)d bài và xóa ảnh “%(photo)s”.")
                % {"n": len(stories), "photo": photo},
            )
            return redirect(reverse("admin:articles_photo_changelist"))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Ảnh đang được dùng"),
        "opts": Photo._meta,
        "object": photo,
        "stories": stories,
        "published_count": sum(1 for a in stories if a.status == Status.PUBLISHED),
    }
    return TemplateResponse(request, "admin/articles/photo/delete_used.html", context)
