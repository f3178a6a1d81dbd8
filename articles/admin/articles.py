"""Articles in the admin: writing, workflow, photos, revisions, finding things."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import construct_change_message
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import desk, services, text, workflow
from ..choices import Status
from ..models import Article, ArticleAuthor, ArticlePhoto, Author, Category
from ..querysets import HEAVY_FIELDS
from ..search import body_match, words
from . import desk_views, rescue, views
from .forms import ArticleForm, ArticlePhotoForm


class StatusFilter(admin.SimpleListFilter):
    title = _("trạng thái")
    parameter_name = "trang_thai"

    def lookups(self, request, model_admin):
        return [*Status.choices, ("scheduled", _("Hẹn giờ"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "scheduled":
            return queryset.scheduled()
        if value == Status.PUBLISHED:
            return queryset.published()
        if value in Status.values:
            return queryset.filter(status=value)
        return queryset


class EmbargoFilter(admin.SimpleListFilter):
    title = _("cấm đăng")
    parameter_name = "cam_dang"

    def lookups(self, request, model_admin):
        return [("con", _("Đang cấm đăng"))]

    def queryset(self, request, queryset):
        if self.value() == "con":
            return queryset.filter(embargo_until__gt=timezone.now())
        return queryset


def time_left(seconds: float) -> str:
    """ "2 giờ 5 phút", "45 phút", "3 ngày 2 giờ": what is left of an embargo."""
    minutes = max(1, int(seconds // 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(d)d ngày %(h)d giờ") % {"d": days, "h": hours}
    if hours:
        return _("%(h)d giờ %(m)d phút") % {"h": hours, "m": minutes}
    return _("%(m)d phút") % {"m": minutes}


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
        from ..photos.admin import thumbnail

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
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    inlines = [ArticleAuthorInline, ArticlePhotoInline]
    list_display = [
        "title",
        "category",
        "status_column",
        "authors_column",
        "published_at",
        "embargo_column",
        "updated_at",
        "photo_flag",
    ]
    list_filter = [
        StatusFilter,
        EmbargoFilter,
        "category",
        AuthorFilter,
        "published_at",
        MissingPhotoFilter,
    ]
    list_select_related = ["category"]
    list_per_page = 50
    show_full_result_count = False
    search_fields = ["title"]
    search_help_text = _(
        "Tìm trong tiêu đề, sapo, nội dung và tên tác giả, gõ có dấu hay không dấu "
        "đều được."
    )
    date_hierarchy = "published_at"
    autocomplete_fields = [
        "category",
        "tags",
        "related",
        "featured_photo",
        "share_photo",
    ]
    actions = ["publish", "back_to_draft", "archive", "move_category"]
    fieldsets = [
        (None, {"fields": ["category", "title", "slug", "lead", "body"]}),
        (
            _("Thông tin"),
            {"fields": ["featured_photo", "location", "agency", "tags", "related"]},
        ),
        (
            _("Xuất bản"),
            {
                "fields": [
                    "status_line",
                    "published_at",
                    "embargo_until",
                    "breaking_until",
                    "live_started_at",
                    "live_ended_at",
                ]
            },
        ),
        (
            _("SEO và mạng xã hội"),
            {
                "fields": [
                    "seo_title",
                    "seo_description",
                    "share_photo",
                    "seo_preview",
                ],
                "classes": ["seo"],
            },
        ),
        (
            _("Nguồn nhập"),
            {"fields": ["external_id", "source_url"], "classes": ["collapse"]},
        ),
    ]
    change_form_template = "admin/articles/article/change_form.html"

    class Media:
        js = ["articles/admin/countdown.js", "articles/admin/seo.js"]
        css = {"all": ["articles/admin/seo.css"]}

    # One preview button ("Xem trước"), ours; one history button, ours.
    view_on_site = False
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    # --- queries ------------------------------------------------------------

    def get_queryset(self, request):
        missing = ArticlePhoto.objects.filter(article=OuterRef("pk"), photo__image="")
        queryset = (
            super()
            .get_queryset(request)
            .annotate(missing_photo=Exists(missing))
            .with_scheduled_flag()
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
        if getattr(obj, "is_scheduled", False):
            css, label = "scheduled", _("Hẹn giờ")
        else:
            css, label = obj.status, obj.get_status_display()
        return format_html('<span class="status status-{}">{}</span>', css, label)

    @admin.display(description=_("xem trước"))
    def seo_preview(self, obj: Article | None) -> str:
        """How Google and a Facebook/Zalo card show the story (seo.js keeps it live)."""
        site = urlsplit(settings.NEWSROOM_SITE_URL).hostname or "…"
        path = obj.get_absolute_url() if obj is not None and obj.pk else "/…"
        return format_html(
            '<div class="seo-preview" data-title-max="60" data-description-max="160" '
            'data-count="{}">'
            '<p class="seo-label">Google</p><div class="seo-google"><span class="seo-url">'
            '{}{}</span><span class="seo-title"></span><span class="seo-description">'
            "</span></div>"
            '<p class="seo-label">Facebook / Zalo</p><div class="seo-card">'
            '<span class="seo-site">{}</span><span class="seo-title"></span>'
            '<span class="seo-description"></span></div></div>',
            _("%(n)s/%(max)s ký tự"),
            site,
            path,
            (site or "").upper(),
        )

    @admin.display(description=_("cấm đăng trước"), ordering="embargo_until")
    def embargo_column(self, obj: Article) -> str:
        """The time left of an embargo, counting down on the page (countdown.js)."""
        until = obj.embargo_until
        if until is None or until <= timezone.now():
            return ""
        left = (until - timezone.now()).total_seconds()
        return format_html(
            '<span class="embargo">{} <time class="embargo-countdown" datetime="{}" '
            'data-over="{}" data-left="{}" data-day="{}" data-hour="{}" data-minute="{}">'
            "{}</time></span>",
            text.format_datetime_vi(until),
            until.isoformat(),
            _("hết cấm đăng"),
            _("còn %(time)s") % {"time": "{}"},
            _("ngày"),
            _("giờ"),
            _("phút"),
            _("còn %(time)s") % {"time": time_left(left)},
        )

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
            return ["status_line", "seo_preview"]
        return ["status_line", "published_at", "seo_preview"]

    @admin.display(description=_("trạng thái"))
    def status_line(self, obj: Article | None) -> str:
        if obj is None or not obj.pk:
            return Status.DRAFT.label
        line = self.status_column(obj)
        if obj.assigned_to_id:
            return format_html(
                "{} · {} {}", line, _("giao cho"), desk.display_name(obj.assigned_to)
            )
        return line

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        attrs = {"user": request.user}
        restored = self._restored_data(request, obj)
        if restored is not None:
            # The working copy fills the form as if just posted; nothing is saved.
            def __init__(self, *args, **kw):
                if not kw.get("data") and not (args and args[0]):
                    kw["data"] = restored
                form.__init__(self, *args, **kw)

            attrs["__init__"] = __init__
        return type(form.__name__, (form,), attrs)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        restored = self._restored_data(request, obj)
        if restored is not None and "data" not in kwargs:
            kwargs["data"] = restored
        return kwargs

    def _restored_data(self, request, obj):
        """The user's working copy as form data, when they chose to restore it."""
        if request.method != "GET" or "ban-tu-luu" not in request.GET:
            return None
        if not hasattr(request, "_restored_copy"):
            copy = desk.working_copy(request.user, obj)
            request._restored_copy = None if copy is None else desk.form_data(copy.data)
        return request._restored_copy

    # --- the change form: desk panel, lock, working copy ----------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "GET" and request.user.is_authenticated:
            rescue.pick_up(request)  # before the panel offers working copies
        if "ban-tu-luu" in request.GET:
            # A restored copy is checked like a save (the row locked while its
            # version is compared), so it needs the transaction a POST has.
            with transaction.atomic():
                return super().changeform_view(
                    request, object_id, form_url, extra_context
                )
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        form = context["adminform"].form
        context["stale"] = getattr(form, "stale", None)
        panel = desk_views.panel_context(request, obj)
        if request.method == "POST":
            # A refused save: the form on screen is the user's own text, so
            # no working copy is offered over it.
            panel.pop("desk_copy", None)
        context.update({k: v for k, v in panel.items() if k not in context})
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- saving: every write is a service call ---------------------------------

    def save_model(self, request, obj, form, change):
        """Nothing yet: the article is written with its byline and photos below."""

    def save_related(self, request, form, formsets, change):
        byline, added, removed = None, [], []
        changed = list(form.changed_data)
        for formset in formsets:
            if formset.model is ArticleAuthor:
                byline = _byline(formset)
            elif formset.model is ArticlePhoto:
                added, removed = _photo_changes(formset)
            if formset.has_changed():
                changed.append(formset.model._meta.verbose_name_plural)
        try:
            article = services.save_article(
                article=form.instance,
                user=request.user,
                tags=form.cleaned_data.get("tags"),
                related=form.cleaned_data.get("related"),
                byline=byline,
                expected_version=form.cleaned_data.get("version") if change else None,
                photos_added=added,
                photos_removed=removed,
                editor_photos=form.editor_photos,
                comment=_edit_comment(form, changed, change),
            )
            desk_views.take_steps(request, article, form.step, form.note)
        except services.PermissionRefused as exc:
            # The form checked the same rules with the row locked; only a
            # crafted request gets here.
            raise PermissionDenied(exc.message) from exc
        if form.dropped_photos:
            self.message_user(
                request,
                _(
                    "Đã bỏ khỏi nội dung %(n)d ảnh không còn trong thư viện (mã %(ids)s)."
                )
                % {
                    "n": len(form.dropped_photos),
                    "ids": ", ".join(map(str, form.dropped_photos)),
                },
                messages.WARNING,
            )

    def construct_change_message(self, request, form, formsets, add=False):
        # The inlines are written by the service, not by their formsets.
        return construct_change_message(form, [], add)

    def response_add(self, request, obj, post_url_continue=None):
        if request.POST.get("_buoc"):
            return self._back_to_form(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if request.POST.get("_buoc"):
            return self._back_to_form(request, obj)
        if "_continue" not in request.POST:
            desk.release(request.user, obj)  # the form is left: the story is free
        return super().response_change(request, obj)

    def _back_to_form(self, request, obj):
        """After a step the story has moved on: a note stays on the form, the
        other steps go back to the list, and the story is free for the next."""
        obj.refresh_from_db()
        step = request.POST["_buoc"]
        self.message_user(
            request,
            _("Đã lưu “%(title)s”: %(step)s.")
            % {"title": obj.title, "step": workflow.step_label(step)},
            messages.SUCCESS,
        )
        if step in ("note", "correction"):
            return redirect(reverse("admin:articles_article_change", args=[obj.pk]))
        desk.release(request.user, obj)
        return redirect(reverse("admin:articles_article_changelist"))

    # --- search: title, lead, body and authors, with or without marks ---------

    def get_search_results(self, request, queryset, search_term):
        for word in words(search_term):
            # Uncorrelated: the authors' stories are found once, not per row.
            by_author = ArticleAuthor.objects.filter(
                author__slug__contains=text.slugify_vi(word)
            ).values("article_id")
            found = Q(pk__in=by_author) | body_match(word)
            for field in ("search_title", "search_lead"):  # parts of words too
                found |= Q(**{f"{field}__contains": word})
            queryset = queryset.filter(found)
        return queryset, False

    # --- bulk actions: one service call per story ------------------------------

    def _bulk(self, request, queryset, message: str, change) -> None:
        done, refused = 0, []
        for article in queryset:
            try:
                change(article)
            except services.ServiceError as exc:
                refused.append(f"{article.title}: {exc.message}")
            else:
                done += 1
        self.message_user(
            request,
            ngettext("%(msg)s: %(n)d bài.", "%(msg)s: %(n)d bài.", done)
            % {"msg": message, "n": done},
            messages.SUCCESS,
        )
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    @admin.action(description=_("Xuất bản các bài đã chọn"), permissions=["publish"])
    def publish(self, request, queryset):
        self._bulk(
            request,
            queryset,
            str(_("Đã xuất bản")),
            lambda a: services.publish(article=a, user=request.user),
        )

    @admin.action(description=_("Trả về bản nháp"), permissions=["publish"])
    def back_to_draft(self, request, queryset):
        self._bulk(
            request,
            queryset,
            str(_("Đã trả về bản nháp")),
            lambda a: services.unpublish(article=a, user=request.user),
        )

    @admin.action(description=_("Lưu trữ (gỡ khỏi trang)"), permissions=["publish"])
    def archive(self, request, queryset):
        self._bulk(
            request,
            queryset,
            str(_("Đã lưu trữ")),
            lambda a: services.archive(article=a, user=request.user),
        )

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
                    lambda a: services.move_to_section(
                        article=a, user=request.user, category=category
                    ),
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
            *desk_views.urls(wrap),
            path(
                "<int:pk>/truc-tiep/",
                wrap(lambda r, pk: views.live(r, pk, site)),
                name="articles_article_live",
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
                wrap(lambda r, pk, version_id: views.restore(r, pk, version_id, site)),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def get_view_on_site_url(self, obj=None):
        if obj is None or not obj.pk:
            return None
        return reverse("admin:articles_article_preview", args=[obj.pk])


def _edit_comment(form, changed: list, change: bool) -> str:
    """The revision note of a save: which fields changed ("Sửa tiêu đề, nội dung")."""
    if not change:
        return str(_("Tạo bài"))
    labels = []
    for name in changed:
        if name == "version":
            continue
        field = form.fields.get(name)
        labels.append(str(field.label if field is not None else name).lower())
    if not labels:
        return str(_("Lưu lại, không đổi nội dung"))
    return str(_("Sửa %(fields)s") % {"fields": ", ".join(dict.fromkeys(labels))})


def _byline(formset) -> list[Author]:
    """The authors of the byline inline, in their order, without the deleted."""
    rows = [
        (f.cleaned_data.get("order") or 0, i, f.cleaned_data["author"])
        for i, f in enumerate(formset.forms)
        if f.cleaned_data.get("author") and not f.cleaned_data.get("DELETE")
    ]
    return [author for _, _, author in sorted(rows, key=lambda r: r[:2])]


def _photo_changes(formset) -> tuple[list, list[int]]:
    """Photos picked or uploaded in the photo inline, and those removed from it."""
    added, removed = [], []
    for f in formset.forms:
        if f in formset.deleted_forms:
            if f.instance.photo_id:
                removed.append(f.instance.photo_id)
            continue
        photo = f.save_photo()
        # A photo newly linked in the list also goes into the body.
        if photo is not None and (not f.instance.pk or "photo" in f.changed_data):
            added.append(photo)
    return added, removed
