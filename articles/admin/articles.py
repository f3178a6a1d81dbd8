"""Articles in the admin: writing, workflow, photos, revisions, finding things."""

from __future__ import annotations

import reversion
from django import forms
from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import body, search, workflow
from ..models import Article, ArticleAuthor, ArticlePhoto, Author, Category
from ..querysets import HEAVY_FIELDS
from ..services import fill_photo_blanks, sync_photos
from . import views
from .forms import ArticleForm, ArticlePhotoForm

reversion.register(Article, follow=["articleauthor_set"], exclude=["version"])
reversion.register(ArticleAuthor)


class FoldedSearchMixin:
    """Search the folded columns so "ben tre" finds "Bến Tre"."""

    folded_search_fields: tuple[str, ...] = ()

    def get_search_results(self, request, queryset, search_term):
        words = search.words(search_term)
        if not words or not self.folded_search_fields:
            return super().get_search_results(request, queryset, search_term)
        for word in words:
            q = Q()
            for field in self.folded_search_fields:
                q |= Q(**{f"{field}__contains": word})
            queryset = queryset.filter(q)
        return queryset, False


class StatusFilter(admin.SimpleListFilter):
    title = _("trạng thái")
    parameter_name = "trang_thai"

    def lookups(self, request, model_admin):
        return [*Article.Status.choices, ("scheduled", _("Hẹn giờ"))]

    def queryset(self, request, queryset):
        value, now = self.value(), timezone.now()
        if value == "scheduled":
            return queryset.filter(status="published", published_at__gt=now)
        if value == "published":
            return queryset.filter(status="published", published_at__lte=now)
        if value in Article.Status.values:
            return queryset.filter(status=value)
        return queryset


class AuthorFilter(admin.SimpleListFilter):
    title = _("tác giả")
    parameter_name = "tac_gia"

    def lookups(self, request, model_admin):
        return list(Author.objects.values_list("pk", "name")[:200])

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(articleauthor__author_id=self.value())
        return queryset


class MissingPhotoFilter(admin.SimpleListFilter):
    title = _("ảnh")
    parameter_name = "thieu_anh"

    def lookups(self, request, model_admin):
        return [("1", _("Thiếu ảnh")), ("0", _("Đủ ảnh"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(missing_photo=True)
        if self.value() == "0":
            return queryset.filter(missing_photo=False)
        return queryset


class ArticlePhotoInline(admin.TabularInline):
    model = ArticlePhoto
    form = ArticlePhotoForm
    extra = 1
    autocomplete_fields = ["photo"]
    fields = ["thumb", "photo", "image", "caption", "credit", "alt_text", "order"]
    readonly_fields = ["thumb"]
    verbose_name = _("ảnh trong bài")
    verbose_name_plural = _("Ảnh trong bài (ảnh thiếu tệp có thể tải lên ở đây)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("photo")

    @admin.display(description=_("ảnh"))
    def thumb(self, obj: ArticlePhoto) -> str:
        from .library import thumbnail

        return thumbnail(obj.photo) if obj.photo_id else ""


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    extra = 1
    autocomplete_fields = ["author"]
    verbose_name_plural = _("Tác giả (theo thứ tự trên dòng ký tên)")


class MoveCategoryForm(forms.Form):
    category = forms.ModelChoiceField(
        queryset=Category.objects.order_by("path"), label=_("chuyển sang chuyên mục")
    )


@admin.register(Article)
class ArticleAdmin(FoldedSearchMixin, admin.ModelAdmin):
    form = ArticleForm
    inlines = [ArticleAuthorInline, ArticlePhotoInline]
    list_display = [
        "title",
        "category",
        "status_column",
        "authors_column",
        "published_at",
        "updated_at",
        "photo_flag",
    ]
    list_filter = [
        StatusFilter,
        "category",
        AuthorFilter,
        "published_at",
        MissingPhotoFilter,
    ]
    list_select_related = ["category"]
    list_per_page = 50
    show_full_result_count = False
    search_fields = ["title"]
    search_help_text = _("Tìm trong tiêu đề và sapo, gõ có dấu hay không dấu đều được.")
    folded_search_fields = ("search_title", "search_lead")
    date_hierarchy = "published_at"
    autocomplete_fields = ["category", "tags", "related", "featured_photo"]
    actions = ["publish", "back_to_draft", "archive", "move_category"]
    fieldsets = [
        (None, {"fields": ["category", "title", "slug", "lead", "body"]}),
        (
            _("Thông tin"),
            {"fields": ["featured_photo", "location", "agency", "tags", "related"]},
        ),
        (_("Xuất bản"), {"fields": ["status", "published_at"]}),
        (
            _("Nguồn nhập"),
            {"fields": ["external_id", "source_url"], "classes": ["collapse"]},
        ),
    ]
    change_form_template = "admin/articles/article/change_form.html"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    # --- queries ------------------------------------------------------------

    def get_queryset(self, request):
        missing = ArticlePhoto.objects.filter(article=OuterRef("pk"), photo__image="")
        queryset = (
            super()
            .get_queryset(request)
            .annotate(missing_photo=Exists(missing))
            .with_byline()
        )
        if request.resolver_match and request.resolver_match.url_name.endswith(
            "changelist"
        ):
            # The list shows no body: leave the heavy columns in the database.
            queryset = queryset.defer(*HEAVY_FIELDS)
        return queryset

    # --- columns ------------------------------------------------------------

    @admin.display(description=_("trạng thái"), ordering="status")
    def status_column(self, obj: Article) -> str:
        label = workflow.status_label(obj)
        css = "scheduled" if label == str(_("Hẹn giờ")) else obj.status
        return format_html('<span class="status status-{}">{}</span>', css, label)

    @admin.display(description=_("tác giả"))
    def authors_column(self, obj: Article) -> str:
        return ", ".join(a.name for a in obj.byline)

    @admin.display(description=_("ảnh"), boolean=False, ordering="missing_photo")
    def photo_flag(self, obj: Article) -> str:
        if getattr(obj, "missing_photo", False):
            return format_html(
                '<strong class="missing-photo">{}</strong>', _("thiếu ảnh")
            )
        return ""

    # --- permissions --------------------------------------------------------

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and workflow.can_edit(
            request.user, obj
        )

    def has_publish_permission(self, request) -> bool:
        return workflow.can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        if workflow.can_publish(request.user):
            return []
        return ["published_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    # --- saving -------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with reversion.create_revision(manage_manually=False):
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if (
            obj.status == Article.Status.PUBLISHED
            and obj.published_at is None
            and workflow.can_publish(request.user)
        ):
            obj.published_at = timezone.now()
        reversion.set_comment(_("Sửa bài") if change else _("Tạo bài"))
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        # Photos added or removed in the inline go into or out of the body.
        in_body = body.photo_ids(article.body)
        added, removed = [], set()
        for formset in formsets:
            if formset.model is not ArticlePhoto:
                continue
            added += [
                f.instance.photo
                for f in formset.forms
                if f.instance.pk
                and f.instance.photo_id not in in_body
                and f not in formset.deleted_forms
            ]
            removed |= {f.instance.photo_id for f in formset.deleted_forms}
        if added or removed:
            for photo_id in removed:
                article.body = body.remove_photo(article.body, photo_id)
            article.body += "".join(
                body.photo_figure(p.pk, p.caption, p.credit) for p in added
            )
            Article.objects.filter(pk=article.pk).update(body=article.body)
        fill_photo_blanks(form.editor_photos)
        sync_photos(article)

    # --- bulk actions -------------------------------------------------------

    def _bulk(self, request, queryset, message: str, **changes) -> None:
        with transaction.atomic(), reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(message)
            count = 0
            for article in queryset.select_for_update():
                for name, value in changes.items():
                    setattr(article, name, value(article) if callable(value) else value)
                article.version += 1
                article.save()
                count += 1
        self.message_user(
            request,
            ngettext("%(msg)s: %(n)d bài.", "%(msg)s: %(n)d bài.", count)
            % {"msg": message, "n": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Xuất bản các bài đã chọn"), permissions=["publish"])
    def publish(self, request, queryset):
        now = timezone.now()
        self._bulk(
            request,
            queryset,
            str(_("Đã xuất bản")),
            status=Article.Status.PUBLISHED,
            published_at=lambda a: a.published_at or now,
        )

    @admin.action(description=_("Trả về bản nháp"), permissions=["publish"])
    def back_to_draft(self, request, queryset):
        self._bulk(request, queryset, str(_("Đã trả về bản nháp")), status="draft")

    @admin.action(description=_("Lưu trữ (gỡ khỏi trang)"), permissions=["publish"])
    def archive(self, request, queryset):
        self._bulk(request, queryset, str(_("Đã lưu trữ")), status="archived")

    @admin.action(description=_("Chuyển chuyên mục"), permissions=["change"])
    def move_category(self, request, queryset):
        editable = [a for a in queryset if workflow.can_edit(request.user, a)]
        if "apply" in request.POST:
            form = MoveCategoryForm(request.POST)
            if form.is_valid():
                category = form.cleaned_data["category"]
                self._bulk(
                    request,
                    queryset.filter(pk__in=[a.pk for a in editable]),
                    str(_("Đã chuyển sang “%(name)s”") % {"name": category.name}),
                    category=category,
                )
                return None
        else:
            form = MoveCategoryForm()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Chuyển chuyên mục"),
            "opts": self.model._meta,
            "form": form,
            "articles": editable,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/articles/article/move_category.html", context
        )

    # --- extra pages --------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        site = self.admin_site
        return [
            path(
                "<int:pk>/xem-truoc/",
                wrap(views.preview),
                name="articles_article_preview",
            ),
            path(
                "<int:pk>/phien-ban/",
                wrap(lambda r, pk: views.history(r, pk, site)),
                name="articles_article_versions",
            ),
            path(
                "<int:pk>/phien-ban/so-sanh/",
                wrap(lambda r, pk: views.compare(r, pk, site)),
                name="articles_article_compare",
            ),
            path(
                "<int:pk>/phien-ban/<int:version_id>/khoi-phuc/",
                wrap(views.restore),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def get_view_on_site_url(self, obj=None):
        if obj is None or not obj.pk:
            return None
        return reverse("admin:articles_article_preview", args=[obj.pk])
