"""Forms of the article editor: workflow, concurrent edits, photos."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import body, editor, workflow
from ..models import Article, ArticlePhoto, Photo
from ..photos.admin import PhotoFileField
from ..photos.intake import store_photo_file


def formfield(field, **kwargs):
    """Build form fields; links typed without a scheme are taken as https."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class ArticleForm(forms.ModelForm):
    """The article as an editor writes it.

    ``user`` is set by the admin. The status a user may pick, and whether the
    article changed since the form was opened, are checked here on the
    server whatever the browser sends.
    """

    user = None
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = [
            "category", "title", "slug", "lead", "body", "featured_photo",
            "location", "agency", "tags", "related",
            "status", "published_at", "external_id", "source_url",
        ]  # fmt: skip
        widgets = {
            "body": editor.body_widget(),
            "lead": forms.Textarea(attrs={"rows": 3}),
            "title": forms.TextInput(attrs={"size": 90}),
        }
        formfield_callback = formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.editor_photos: list[dict] = []
        if "version" in self.fields:
            self.fields["version"].initial = self.instance.version
        if "status" in self.fields and self.user is not None:
            self.fields["status"].choices = workflow.allowed_statuses(self.user)
        if "body" in self.fields and self.instance.pk and not self.is_bound:
            photos = {p.pk: p for p in self.instance.photos.all()}
            missing = set(body.photo_ids(self.instance.body)) - set(photos)
            photos.update(Photo.objects.in_bulk(missing))
            self.initial["body"] = body.to_editor(self.instance.body, photos)

    def clean_body(self) -> str:
        stored, found = body.from_editor(self.cleaned_data.get("body") or "")
        known = set(
            Photo.objects.filter(pk__in=[p["id"] for p in found]).values_list(
                "pk", flat=True
            )
        )
        unknown = [p["id"] for p in found if p["id"] not in known]
        if unknown:
            raise forms.ValidationError(
                _("Nội dung có ảnh không còn trong thư viện (mã %(ids)s).")
                % {"ids": ", ".join(map(str, unknown))}
            )
        self.editor_photos = found
        return stored

    def clean_slug(self) -> str:
        return (self.cleaned_data.get("slug") or "").strip()

    def clean(self):
        cleaned = super().clean()
        if self.user is not None and "status" in cleaned:
            refusal = workflow.check_status_change(
                self.user, self.instance, cleaned["status"]
            )
            if refusal:
                self.add_error("status", refusal)
        slug, category = cleaned.get("slug"), cleaned.get("category")
        if slug and category:
            clash = Article.objects.filter(category=category, slug=slug).exclude(
                pk=self.instance.pk
            )
            if clash.exists():
                self.add_error(
                    "slug",
                    _(
                        "Đường dẫn này đã có bài khác trong chuyên mục; hãy đổi hoặc để trống."
                    ),
                )
        if self.instance.pk:
            self._check_version(cleaned)
        return cleaned

    def _check_version(self, cleaned) -> None:
        """Refuse the save if someone else saved since this form was opened.

        The row is locked until the admin's transaction ends, so two saves
        cannot both pass this check.
        """
        current = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if current is not None and cleaned.get("version") != current:
            raise forms.ValidationError(
                _(
                    "Bài này vừa được người khác lưu (phiên bản %(current)s) trong lúc "
                    "bạn sửa. Phần bạn viết vẫn còn nguyên trong biểu mẫu dưới đây: hãy "
                    "mở bài ở thẻ mới để xem bản mới nhất, chép phần cần giữ vào đó rồi "
                    "lưu."
                )
                % {"current": current},
                code="stale",
            )


class ArticlePhotoForm(forms.ModelForm):
    """A photo of the story: pick one from the library or upload a new one.

    The caption, credit and alt text edit the Photo row itself, so a photo
    from a wire import that still lacks its file is filled in here.
    """

    image = PhotoFileField(label=_("tệp ảnh"))
    caption = forms.CharField(label=_("chú thích"), required=False)
    credit = forms.CharField(label=_("nguồn ảnh"), required=False, max_length=300)
    alt_text = forms.CharField(
        label=_("mô tả thay thế"), required=False, max_length=300
    )

    class Meta:
        model = ArticlePhoto
        fields = ["photo", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].required = False
        photo = self.instance.photo if self.instance.photo_id else None
        if photo is not None:
            for name in ("caption", "credit", "alt_text"):
                self.fields[name].initial = getattr(photo, name)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("photo") and not cleaned.get("image"):
            if cleaned.get("caption") or cleaned.get("credit"):
                raise forms.ValidationError(
                    _("Chọn một ảnh trong thư viện hoặc tải tệp ảnh lên.")
                )
        return cleaned

    def save_photo(self) -> Photo | None:
        """Write the picked or uploaded photo with its caption; the story's
        photo list itself is the service's to write."""
        if not self.cleaned_data.get("photo") and not self.cleaned_data.get("image"):
            return None
        photo = self.cleaned_data.get("photo") or Photo()
        for name in ("caption", "credit", "alt_text"):
            value = self.cleaned_data.get(name)
            if value or name in self.changed_data:
                setattr(photo, name, value or "")
        upload = self.cleaned_data.get("image")
        if upload:
            store_photo_file(photo, upload, upload.name)
        photo.save()
        return photo
