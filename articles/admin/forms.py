"""Forms of the article editor: workflow, concurrent edits, photos."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import body, desk, editor, workflow
from ..choices import Status
from ..models import Article, ArticlePhoto, Correction, Photo
from ..photos.admin import PhotoFileField
from ..photos.intake import store_photo_file
from . import merge


def formfield(field, **kwargs):
    """Build form fields; links typed without a scheme are taken as https."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class ArticleForm(forms.ModelForm):
    """The article as an editor writes it.

    ``user`` is set by the admin. The workflow step a button asks for, who
    holds the story, and whether it changed since the form was opened are
    checked here on the server whatever the browser sends. The status is
    never a field: it moves only by the steps (:mod:`articles.workflow`).
    """

    user = None
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = [
            "category", "title", "slug", "lead", "body", "featured_photo",
            "location", "agency", "tags", "related",
            "published_at", "embargo_until", "breaking_until", "external_id",
            "source_url", "seo_title", "seo_description", "share_photo",
            "live_started_at", "live_ended_at",
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
        self.dropped_photos: list[int] = []
        self.stale: dict | None = None
        if "version" in self.fields:
            self.fields["version"].initial = self.instance.version
        if "body" in self.fields and self.instance.pk and not self.is_bound:
            photos = {p.pk: p for p in self.instance.photos.all()}
            missing = set(body.photo_ids(self.instance.body)) - set(photos)
            photos.update(Photo.objects.in_bulk(missing))
            self.initial["body"] = body.to_editor(self.instance.body, photos)

    @property
    def step(self) -> str:
        """The workflow button pressed with this save ("" for a plain save)."""
        return (self.data.get("_buoc") or "") if self.is_bound else ""

    @property
    def note(self) -> str:
        return (self.data.get("ghi_chu") or "").strip() if self.is_bound else ""

    def clean_body(self) -> str:
        stored, found = body.from_editor(self.cleaned_data.get("body") or "")
        known = set(
            Photo.objects.filter(pk__in=[p["id"] for p in found]).values_list(
                "pk", flat=True
            )
        )
        # A photo deleted from the library since: its figure goes, the save does not.
        self.dropped_photos = sorted({p["id"] for p in found} - known)
        for gone in self.dropped_photos:
            stored = body.remove_photo(stored, gone)
        self.editor_photos = [p for p in found if p["id"] in known]
        return stored

    def clean_slug(self) -> str:
        return (self.cleaned_data.get("slug") or "").strip()

    def clean(self):
        cleaned = super().clean()
        self._check_step(cleaned)
        self._check_embargo(cleaned)
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
            self._check_holder()
            self._check_version(cleaned)
        return cleaned

    def _check_step(self, cleaned) -> None:
        step = self.step
        if not step or self.user is None:
            return
        if step == "note":
            if not self.note:
                raise forms.ValidationError(_("Hãy viết ghi chú trước khi gửi."))
            return
        if step == "correction":
            visible = Article.objects.published().filter(pk=self.instance.pk)
            if not workflow.can_publish(self.user) or not visible.exists():
                raise forms.ValidationError(
                    _("Chỉ biên tập viên thêm được đính chính, vào bài đang đăng.")
                )
            if not (self.data.get("dinh_chinh") or "").strip():
                raise forms.ValidationError(
                    _("Hãy viết nội dung đính chính hoặc cập nhật.")
                )
            if self.data.get("dinh_chinh_loai") not in Correction.Kind.values:
                raise forms.ValidationError(_("Loại ghi chú không hợp lệ."))
            return
        if step not in workflow.steps(self.user, self.instance):
            raise forms.ValidationError(
                workflow.why_not(self.user, self.instance, step)
            )
        if step == "schedule":
            at = cleaned.get("published_at")
            if at is None or at <= timezone.now():
                self.add_error(
                    "published_at",
                    _("Để hẹn giờ, hãy chọn thời điểm xuất bản trong tương lai."),
                )

    def _check_embargo(self, cleaned) -> None:
        """The embargo's rule (the services apply it again), as a form error."""
        step = self.step
        status = self.instance.status if self.instance.pk else Status.DRAFT
        at = cleaned.get("published_at")
        if step in ("publish", "schedule"):
            status = Status.PUBLISHED
        elif step == workflow.SCHEDULE_AT_EMBARGO:
            return  # scheduled for the embargo time itself
        if step == "publish" and at is not None and at <= timezone.now():
            at = None  # published now
        refusal = workflow.embargo_refusal(status, at, cleaned.get("embargo_until"))
        if refusal:
            self.add_error("embargo_until", refusal)

    def _check_holder(self) -> None:
        """Refuse the save while someone else holds the story in the editor."""
        if self.user is None:
            return
        holder = desk.holder_other_than(self.user, self.instance)
        if holder is not None:
            desk.keep_form(
                user=self.user, article=self.instance, post=self.data, reason="held"
            )
            raise forms.ValidationError(
                _(
                    "%(name)s đang sửa bài này. Phần bạn viết đã được giữ trong "
                    "bản tự lưu; hãy giành quyền sửa ở trên nếu cần lưu ngay."
                )
                % {"name": desk.display_name(holder)},
                code="held",
            )

    def _check_version(self, cleaned) -> None:
        """Refuse the save if someone else saved since this form was opened.

        The row is locked until the admin's transaction ends, so two saves
        cannot both pass this check. The refusal shows what the other save
        changed; "Ghi phần của tôi lên trên" (``_ghi_len`` = the newer
        version) then saves the fields this user changed over the newer
        version, and keeps the newer version's other fields.
        """
        current = (
            Article.objects.select_for_update().filter(pk=self.instance.pk).first()
        )
        if current is None or cleaned.get("version") == current.version:
            return
        opened = merge.opened_state(current, cleaned.get("version"))
        if self.data.get("_ghi_len") == str(current.version):
            merge.take_unchanged(cleaned, opened, current)
            cleaned["version"] = current.version
            return
        self.stale = merge.describe(current, opened)
        if self.user is not None:
            desk.keep_form(
                user=self.user, article=self.instance, post=self.data, reason="stale"
            )
        raise forms.ValidationError(
            _(
                "Bài này vừa được %(name)s lưu lúc %(when)s (phiên bản %(current)s) "
                "trong lúc bạn sửa. Phần bạn viết vẫn còn nguyên trong biểu mẫu; "
                "những gì đã đổi ở bản mới được liệt kê bên dưới."
            )
            % {
                "name": self.stale["by"],
                "when": self.stale["at"],
                "current": current.version,
            },
            code="stale",
        )


class ArticlePhotoForm(forms.ModelForm):
    """A photo of the story: pick one from the library or upload a new one.

    A story's caption of a photo is its body figure's, edited under the image
    in the editor; a row already in the story shows it, read-only, so the
    two never diverge. A new upload's caption, credit and alt text become
    the library's defaults; a library photo picked here goes at the end of
    the body with the caption typed here (or the library's), for this story
    only. Editing one story never changes another's caption.
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
        if photo is not None and self.instance.pk:
            used = body.figure_captions(self.instance.article.body).get(photo.pk)
            caption, credit = used or (photo.caption, photo.credit)
            values = {"caption": caption, "credit": credit, "alt_text": photo.alt_text}
            for name, value in values.items():
                self.fields[name].initial = value
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Sửa ngay dưới ảnh trong nội dung.")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("photo") and not cleaned.get("image"):
            if cleaned.get("caption") or cleaned.get("credit"):
                raise forms.ValidationError(
                    _("Chọn một ảnh trong thư viện hoặc tải tệp ảnh lên.")
                )
        return cleaned

    def save_photo(self) -> Photo | None:
        """Write a new upload to the library; return the row's photo with the
        caption this story gives it (``use_caption``/``use_credit``). The
        story's photo list itself is the service's to write."""
        picked = self.cleaned_data.get("photo")
        upload = self.cleaned_data.get("image")
        if not picked and not upload:
            return None
        photo = picked or Photo()
        typed = {
            n: self.cleaned_data.get(n) or "" for n in ("caption", "credit", "alt_text")
        }
        if picked is None or not picked.pk:
            for name, value in typed.items():  # a new photo: the library's defaults
                setattr(photo, name, value)
        if upload:
            store_photo_file(photo, upload, upload.name)
        if upload or picked is None:
            photo.save()
        if not self.instance.pk and "caption" in self.changed_data:
            photo.use_caption = typed["caption"]
            photo.use_credit = typed["credit"] or photo.credit
        return photo
