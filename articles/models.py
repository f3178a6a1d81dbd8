"""The newsroom's content: sections, people in bylines, photos, tags, articles."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import sanitize, text
from .choices import Status
from .querysets import ArticleQuerySet

SLUG_MAX = 200


def slugs_starting(base: str) -> models.Q:
    """Slugs that start with ``base``, found through the slug index.

    PostgreSQL answers ``LIKE 'base%'`` from the pattern index Django makes
    for a slug column. SQLite's ``LIKE`` ignores case, so it cannot use an
    index and reads the whole section; a range over the (binary-ordered,
    ASCII) slugs can.
    """
    if connection.vendor == "sqlite":
        return models.Q(slug__gte=base, slug__lt=base + "\uffff")
    return models.Q(slug__startswith=base)


def fill_slug(instance: models.Model, source: str, fallback: str, among=None) -> None:
    """Give ``instance`` a slug from ``source`` when it has none (one query).

    The slug is unique among ``among`` (a queryset; by default every row of
    the model).
    """
    if instance.slug:
        return
    base = text.slugify_vi(source, SLUG_MAX) or fallback
    rows = type(instance).objects.all() if among is None else among
    taken = (
        rows.filter(slugs_starting(base))
        .exclude(pk=instance.pk)
        .values_list("slug", flat=True)
    )
    instance.slug = text.unique_slug(base, taken, SLUG_MAX)


class Category(models.Model):
    """A section of the site, such as "Chính phủ hành động"; sections nest."""

    name = models.CharField(_("tên"), max_length=200)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=SLUG_MAX,
        blank=True,
        help_text=_(
            "Để trống để tạo tự động từ tên chuyên mục; không trùng với chuyên mục "
            "khác cùng cấp."
        ),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("chuyên mục cha"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(
        _("đường dẫn đầy đủ"), max_length=1000, unique=True, editable=False
    )
    description = models.TextField(_("mô tả"), blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    show_in_menu = models.BooleanField(_("hiện trên menu"), default=True)

    class Meta:
        verbose_name = _("chuyên mục")
        verbose_name_plural = pgettext_lazy("số nhiều", "chuyên mục")
        ordering = ["order", "name"]
        # A slug is unique among its siblings: "Địa phương" may be under both
        # "Chính phủ" and "Kinh tế" as dia-phuong; the path is unique anyway.
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "slug"],
                condition=models.Q(parent__isnull=False),
                name="category_slug_in_parent",
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(parent__isnull=True),
                name="category_slug_at_top",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        """Normalize the name, derive the slug and the path from the parents."""
        self.name = text.clean_line(self.name)
        fill_slug(
            self, self.name, "chuyen-muc", Category.objects.filter(parent=self.parent)
        )
        old_path = self.path
        self.path = f"{self.parent.path}/{self.slug}" if self.parent else self.slug
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # A moved or renamed section moves its whole subtree.
            for child in self.children.all():
                child.save()

    def get_absolute_url(self) -> str:
        # The URL shapes of articles/urls.py, built directly: reverse() costs
        # a resolver walk for every link of every list (a test checks both agree).
        return f"/{self.path}/"

    def ancestors(self) -> list[Category]:
        """Return the sections from the top down to this one (breadcrumb)."""
        chain = [self]
        while chain[0].parent_id:
            chain.insert(0, chain[0].parent)
        return chain


class Photo(models.Model):
    """One image with its caption and credit; the file may come later."""

    image = models.ImageField(
        _("ảnh"),
        upload_to="photos/%Y/%m/",
        blank=True,
        width_field="width",
        height_field="height",
        help_text=_("Có thể để trống khi ảnh từ tin điện chưa về."),
    )
    caption = models.TextField(_("chú thích"), blank=True)
    credit = models.CharField(
        _("nguồn ảnh"), max_length=300, blank=True, help_text=_("Ví dụ: Công trí/TTXVN")
    )
    alt_text = models.CharField(
        _("mô tả thay thế"),
        max_length=300,
        blank=True,
        help_text=_("Mô tả ngắn nội dung ảnh cho người không nhìn thấy ảnh."),
    )
    photographer = models.CharField(_("người chụp"), max_length=200, blank=True)
    source_url = models.URLField(
        _("địa chỉ gốc"),
        max_length=1000,
        blank=True,
        help_text=_("Nơi ảnh được lấy về khi nhập (nguồn tin, bản xuất WordPress)."),
    )
    image_hash = models.CharField(
        _("mã nội dung ảnh"), max_length=40, blank=True, editable=False
    )
    file_size = models.PositiveBigIntegerField(
        _("dung lượng tệp"), null=True, blank=True, editable=False
    )
    width = models.PositiveIntegerField(_("chiều rộng"), null=True, blank=True)
    height = models.PositiveIntegerField(_("chiều cao"), null=True, blank=True)
    # The subject an editor clicked, from the left and the top (0 to 1): every
    # crop of the photo keeps it in frame (renditions.crop_box).
    focal_x = models.FloatField(
        _("điểm chính (ngang)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    focal_y = models.FloatField(
        _("điểm chính (dọc)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    # Caption, credit, alt text and photographer folded (no marks), for a
    # library search that finds "Công trí" from "cong tri".
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("ảnh")
        verbose_name_plural = pgettext_lazy("số nhiều", "ảnh")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The few photos still waiting for their image: the admin list
            # marks stories that have one without reading every photo.
            models.Index(
                fields=["id"], condition=models.Q(image=""), name="photo_without_image"
            ),
        ]

    def __str__(self) -> str:
        label = self.caption or self.alt_text or self.image.name or ""
        return text.clean_line(label)[:80] or f"Ảnh #{self.pk}"

    def save(self, *args, **kwargs) -> None:
        """Store caption, credit and alt text as clean NFC text."""
        self.prepare()
        super().save(*args, **kwargs)

    def prepare(self) -> None:
        """Do what ``save()`` does before writing; bulk writers call it too."""
        self.caption = text.clean_line(self.caption)
        self.credit = text.clean_line(self.credit)
        self.alt_text = text.clean_line(self.alt_text)
        self.photographer = text.clean_line(self.photographer)
        self.search_text = text.fold(
            " ".join((self.caption, self.credit, self.alt_text, self.photographer))
        )


class Author(models.Model):
    """A person in bylines, optionally linked to a staff account."""

    name = models.CharField(_("tên"), max_length=200)
    slug = models.SlugField(
        _("đường dẫn"), max_length=SLUG_MAX, unique=True, blank=True
    )
    bio = models.TextField(_("giới thiệu"), blank=True)
    photo = models.ForeignKey(
        Photo,
        verbose_name=_("ảnh chân dung"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
    )

    class Meta:
        verbose_name = _("tác giả")
        verbose_name_plural = pgettext_lazy("số nhiều", "tác giả")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = text.clean_line(self.name)
        fill_slug(self, self.name, "tac-gia")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"/tac-gia/{self.slug}/"


class Tag(models.Model):
    """A topic that links stories across sections ("cải cách hành chính")."""

    name = models.CharField(_("tên"), max_length=100, unique=True)
    slug = models.SlugField(
        _("đường dẫn"), max_length=SLUG_MAX, unique=True, blank=True
    )

    class Meta:
        verbose_name = _("chủ đề")
        verbose_name_plural = pgettext_lazy("số nhiều", "chủ đề")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = text.clean_line(self.name)
        fill_slug(self, self.name, "chu-de")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"/chu-de/{self.slug}/"


def slug_base(title: str, wanted: str = "") -> str:
    """The slug a story titled ``title`` would have before any "-2" suffix."""
    return text.slugify_vi(wanted or title, SLUG_MAX) or "bai-viet"


class Article(models.Model):
    """A story, from draft to published; readers see ``objects.published()``."""

    Status = Status

    title = models.CharField(_("tiêu đề"), max_length=500)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=SLUG_MAX,
        blank=True,
        help_text=_("Để trống để tạo tự động từ tiêu đề (bỏ dấu, đ → d)."),
    )
    lead = models.TextField(
        _("sapo"), blank=True, help_text=_("Đoạn tóm tắt dưới tiêu đề.")
    )
    body = models.TextField(_("nội dung"), blank=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("chuyên mục"),
        on_delete=models.PROTECT,
        related_name="articles",
        db_index=False,  # article_cat_pub starts with it
    )
    location = models.CharField(_("địa danh"), max_length=200, blank=True)
    agency = models.CharField(
        _("cơ quan/nguồn tin"), max_length=200, blank=True, help_text=_("Ví dụ: TTXVN")
    )
    authors = models.ManyToManyField(
        Author,
        verbose_name=_("tác giả"),
        through="ArticleAuthor",
        related_name="articles",
        blank=True,
    )
    tags = models.ManyToManyField(
        Tag, verbose_name=_("chủ đề"), related_name="articles", blank=True
    )
    related = models.ManyToManyField(
        "self",
        verbose_name=_("bài liên quan"),
        symmetrical=False,
        related_name="related_from",
        blank=True,
    )
    featured_photo = models.ForeignKey(
        Photo,
        verbose_name=_("ảnh đại diện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="featured_in",
    )
    photos = models.ManyToManyField(
        Photo,
        verbose_name=_("ảnh trong bài"),
        through="ArticlePhoto",
        related_name="articles",
        blank=True,
        help_text=_("Các ảnh xuất hiện trong nội dung bài."),
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
    )
    published_at = models.DateTimeField(
        _("thời điểm xuất bản"),
        null=True,
        blank=True,
        help_text=_(
            "Bài chỉ hiện với bạn đọc khi đã xuất bản và đến thời điểm này; "
            "chọn thời điểm trong tương lai để hẹn giờ."
        ),
    )
    # "Tường thuật trực tiếp": a story with timestamped entries (LiveEntry),
    # from this time; readers' pages fetch new entries by themselves.
    live_started_at = models.DateTimeField(
        _("tường thuật trực tiếp từ"),
        null=True,
        blank=True,
        help_text=_(
            "Đặt giờ bắt đầu để bài thành tường thuật trực tiếp: các diễn biến "
            "hiện trên bài, mới nhất trước, và tự cập nhật trên trang bạn đọc."
        ),
    )
    live_ended_at = models.DateTimeField(
        _("tường thuật kết thúc lúc"),
        null=True,
        blank=True,
        help_text=_("Giờ kết thúc (hoặc dự kiến kết thúc) của tường thuật."),
    )
    # What search engines and shared links show, when it is not the title,
    # the lead and the story's photo (the page falls back to those).
    seo_title = models.CharField(
        _("tiêu đề SEO"),
        max_length=200,
        blank=True,
        help_text=_("Cho Google và khi chia sẻ; để trống thì dùng tiêu đề bài."),
    )
    seo_description = models.CharField(
        _("mô tả SEO"),
        max_length=320,
        blank=True,
        help_text=_("Đoạn mô tả dưới tiêu đề trên Google; để trống thì dùng sapo."),
    )
    share_photo = models.ForeignKey(
        Photo,
        verbose_name=_("ảnh chia sẻ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Ảnh của thẻ Facebook, Zalo; để trống thì dùng ảnh đại diện của bài."
        ),
    )
    # Wire copy "cấm đăng trước 10:00": nobody publishes the story before
    # this time (the write services refuse, workflow.embargo_refusal says why).
    embargo_until = models.DateTimeField(
        _("cấm đăng trước"),
        null=True,
        blank=True,
        help_text=_(
            "Giờ cấm đăng của hãng tin: không ai xuất bản được bài trước giờ này, "
            "kể cả tổng biên tập. Hẹn giờ xuất bản đúng giờ này bằng một nút."
        ),
    )
    # "Tin nóng": until this time every page shows a banner with the headline
    # (the small /tin-nong.json answer, polled by every page: cached pages too).
    breaking_until = models.DateTimeField(
        _("tin nóng đến"),
        null=True,
        blank=True,
        help_text=_(
            "Đặt giờ để mọi trang hiện dải “Tin nóng” với tiêu đề bài này đến giờ "
            "đó (trong vài giây, cả trang đã lưu đệm); để trống là không."
        ),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    # When the text last changed after publication ("Cập nhật" to readers,
    # dateModified); empty while the story reads as first published. The row's
    # updated_at is bookkeeping (an import, a new caption), never shown.
    revised_at = models.DateTimeField(
        _("sửa sau khi đăng lúc"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    external_id = models.CharField(
        _("mã nguồn ngoài"),
        max_length=200,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Mã bài của hãng tin hay hệ thống cũ, dùng khi nhập lại."),
    )
    source_url = models.URLField(_("URL gốc"), max_length=1000, blank=True)
    content_hash = models.CharField(
        _("mã băm nội dung nhập"),
        max_length=64,
        blank=True,
        editable=False,
    )
    # Folded text (no marks, lower case) for diacritic-insensitive search,
    # computed on save by the text module: title, lead and body apart so
    # that a title match can rank above a lead match above a body match.
    search_title = models.CharField(max_length=500, editable=False, blank=True)
    search_lead = models.TextField(editable=False, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    # The names of its tags and authors, folded (services keep it): searched
    # with the body, together with the location.
    search_names = models.TextField(editable=False, blank=True)
    # PostgreSQL only: the weighted full-text vector of the three, kept up to
    # date by a database trigger (see migration 0003) and indexed with GIN.
    search_vector = SearchVectorField(null=True, editable=False)
    # PostgreSQL only: the title and lead alone, unweighted (the same trigger,
    # migration 0014): a broad search checks its phrase on this short vector.
    search_headline = SearchVectorField(null=True, editable=False)
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)
    # Who on the desk has the story now (set by services.assign).
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("giao cho"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("bài viết")
        verbose_name_plural = pgettext_lazy("số nhiều", "bài viết")
        ordering = ["-published_at", "-id"]
        indexes = [
            # One index a column each where a wider one does not start with
            # it: every index is written on every insert (an import's).
            models.Index(fields=["content_hash"], name="article_content_hash"),
            models.Index(
                fields=["category", "status", "-published_at", "-id"],
                name="article_cat_pub",
            ),
            models.Index(fields=["source_url"], name="article_source_url"),
            models.Index(fields=["search_title"], name="article_search_title"),
            models.Index(fields=["-published_at", "-id"], name="article_pub_order"),
            # Deep pages of a section with sub-sections walk this index in
            # order, without reading a row, whatever the offset.
            models.Index(
                fields=["status", "-published_at", "-id", "category"],
                name="article_pub_cat",
            ),
        ]
        permissions = [
            ("publish_article", _("Có thể xuất bản, hẹn giờ và gỡ bài")),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        """Normalize text and derive the slug and search fields, then save."""
        self.prepare()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "lead", "body"} & set(update_fields):
            kwargs["update_fields"] = set(update_fields) | {
                "search_title",
                "search_lead",
                "search_text",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return Article.url_for(self.category.path, self.slug, self.pk)

    @staticmethod
    def url_for(section_path: str, slug: str, pk: int) -> str:
        """A story's address from its parts (for pages that read rows, not models)."""
        return f"/{section_path}/{slug}-{pk}.htm"

    def prepare(self) -> None:
        """Do what ``save()`` does before writing; bulk writers call it too.

        Text becomes clean NFC, the body is sanitized, the slug is derived
        from the title when empty, and the folded search fields are filled.
        An import may have done the text part where it read the draft
        (``importers/ready.py``); that is taken only while the article's
        text is still the very text it was made for.
        """
        body_made, ready = self.__dict__.pop("_ready", (None, None))
        if ready is None or not self._ready_fits(body_made, ready):
            ready = None
            self.title = text.clean_line(self.title)
            self.lead = text.clean_line(self.lead)
            self.body = sanitize.clean_html(text.nfc(self.body))
            self.location = text.clean_line(self.location)
        self.agency = text.clean_line(self.agency)
        self.external_id = text.clean_line(self.external_id or "") or None
        self.slug = self.slug or self.make_slug()
        if ready is None:
            self.search_title = text.fold(self.title)
            self.search_lead = text.fold(self.lead)
            self.search_text = self.folded_text()
        else:
            self.search_title = ready.search_title
            self.search_lead = ready.search_lead
            # fold(a + " " + b) is fold(a) and fold(b) joined: folding is per word.
            names = text.fold(self.search_names or "")
            self.search_text = " ".join(filter(None, (ready.search_body, names)))
            if ready.vector is not None:
                # Kept by the trigger on INSERT only (migration 0025).
                self.search_vector = ready.vector.with_names(names)

    def _ready_fits(self, body_made: str, ready) -> bool:
        return (
            self.title is ready.title
            and self.lead is ready.lead
            and self.location is ready.location
            and self.body is body_made
        )

    def folded_text(self) -> str:
        """The searched text beside title and lead: body, location, names."""
        parts = (text.html_to_text(self.body), self.location, self.search_names or "")
        return text.fold(" ".join(parts))

    def set_search_names(self, tags, authors) -> None:
        """Note the tag and author names a search should find the story by.

        ``search_text`` takes them at the next :meth:`prepare` (or
        :meth:`folded_text` for an update of the names alone).
        """
        names = [t.name for t in tags] + [a.name for a in authors]
        self.search_names = text.fold(" ".join(dict.fromkeys(names)))

    def slug_base(self, wanted: str = "") -> str:
        """Return the slug a story would have before any "-2" suffix."""
        return slug_base(self.title, wanted)

    def make_slug(self, wanted: str = "", taken: set[str] | None = None) -> str:
        """Return a slug from ``wanted`` or the title, unique in the category.

        ``taken`` is the category's slugs when the caller knows them (an
        import keeps them in memory); else they are read in one query.
        """
        base = self.slug_base(wanted)
        if taken is None:
            taken = set(
                Article.objects.filter(
                    slugs_starting(base), category_id=self.category_id
                )
                .exclude(pk=self.pk)
                .values_list("slug", flat=True)
            )
        return text.unique_slug(base, taken, SLUG_MAX)

    @property
    def byline(self) -> list[Author]:
        """Return the authors in byline order (prefetch ``articleauthor_set``)."""
        return [link.author for link in self.articleauthor_set.all()]

    @property
    def modified_at(self):
        """When readers are told the story last changed: revised, else published."""
        return self.revised_at or self.published_at

    @property
    def page_title(self) -> str:
        """The title search engines and shared links show: SEO title, else title."""
        return self.seo_title or self.title

    @property
    def page_description(self) -> str:
        """The description they show: SEO description, else the lead."""
        return self.seo_description or self.lead

    @property
    def published_at_display(self) -> str:
        """Return the publication time as readers see it."""
        return text.format_datetime_vi(self.published_at)


class ArticleAuthor(models.Model):
    """An author's place in an article's byline."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE)
    author = models.ForeignKey(
        Author, verbose_name=_("tác giả"), on_delete=models.PROTECT
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("tác giả của bài")
        verbose_name_plural = pgettext_lazy("số nhiều", "tác giả của bài")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "author"], name="article_author_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.author)


class ArticlePhoto(models.Model):
    """A photo used by an article (in its body or as its featured photo)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE)
    # Deleting a photo removes it from its articles; the admin's confirmation
    # page lists these rows, i.e. the articles that lose it.
    photo = models.ForeignKey(Photo, verbose_name=_("ảnh"), on_delete=models.CASCADE)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("ảnh trong bài")
        verbose_name_plural = pgettext_lazy("số nhiều", "ảnh trong bài")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "photo"], name="article_photo_once"
            )
        ]

    def __str__(self) -> str:
        return _("ảnh trong bài “%(title)s”") % {"title": self.article.title}


class PendingRelation(models.Model):
    """A "Xem thêm" title that names an article not imported yet.

    The importer links it as soon as an article with that title arrives,
    whatever the order of the files.
    """

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="pending_relations"
    )
    title = models.CharField(_("tiêu đề"), max_length=500)
    title_folded = models.CharField(max_length=500, db_index=True, editable=False)

    class Meta:
        verbose_name = _("bài liên quan chưa tìm thấy")
        verbose_name_plural = pgettext_lazy("số nhiều", "bài liên quan chưa tìm thấy")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "title_folded"], name="pending_relation_once"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.title = text.clean_line(self.title)
        self.title_folded = text.fold(self.title)
        super().save(*args, **kwargs)


class PlannedItem(models.Model):
    """An assignment on the planning board ("Lịch biên tập"), story or not yet.

    Planned is not scheduled: a planned item publishes nothing, wherever it
    is moved. When the reporter starts writing it becomes a draft
    (:func:`articles.services.start_from_plan`), and the board shows that
    story from then on.
    """

    slugline = models.CharField(
        _("đề tài"),
        max_length=200,
        help_text=_("Tên ngắn của đề tài, ví dụ “Bão số 9”."),
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("chuyên mục"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("phóng viên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    planned_at = models.DateTimeField(_("dự kiến lúc"))
    notes = models.TextField(_("ghi chú"), blank=True)
    article = models.OneToOneField(
        Article,
        verbose_name=_("bài"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("đề tài dự kiến")
        verbose_name_plural = _("Lịch biên tập")
        ordering = ["planned_at", "id"]
        indexes = [models.Index(fields=["planned_at"], name="plan_when")]

    def __str__(self) -> str:
        return self.slugline


class LiveEntry(models.Model):
    """One timestamped entry of a live story: text, a photo, a quote, a post.

    Added by any editor on the desk at once (no edit lock: each entry is its
    own row), through :func:`articles.services.add_live_entry`.
    """

    class Kind(models.TextChoices):
        TEXT = "text", _("Diễn biến")
        PHOTO = "photo", _("Ảnh")
        QUOTE = "quote", _("Trích dẫn")
        EMBED = "embed", _("Bài đăng")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="live_entries"
    )
    kind = models.CharField(
        _("loại"), max_length=10, choices=Kind.choices, default=Kind.TEXT
    )
    text = models.TextField(_("nội dung"), blank=True)
    quote_by = models.CharField(_("người nói"), max_length=200, blank=True)
    photo = models.ForeignKey(
        Photo,
        verbose_name=_("ảnh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    url = models.URLField(_("địa chỉ bài đăng"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("lúc"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người viết"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("diễn biến")
        verbose_name_plural = pgettext_lazy("số nhiều", "diễn biến")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["article", "-created_at", "-id"], name="live_entry_art"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class FrontPin(models.Model):
    """A story the editors put in a place of the front page, until a time.

    "Sắp xếp trang chủ": the lead story, the top stories in order (the first
    of "Tin mới nhất"), and each section's top story (first in its block on
    the home page and on the section's own page). An empty place, or one
    whose pin has ended or whose story readers cannot read, falls back to
    the newest stories (:mod:`articles.front`).
    """

    class Place(models.TextChoices):
        LEAD = "lead", _("Tin chính trang chủ")
        TOP = "top", _("Tin nổi bật trang chủ")
        SECTION = "section", _("Tin đầu chuyên mục")

    place = models.CharField(_("vị trí"), max_length=20, choices=Place.choices)
    position = models.PositiveSmallIntegerField(
        _("thứ tự"), default=1, help_text=_("Tin nổi bật: 1 đứng trước.")
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("chuyên mục"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pins",
        help_text=_("Chỉ cho vị trí “Tin đầu chuyên mục”."),
    )
    article = models.ForeignKey(
        Article, verbose_name=_("bài"), on_delete=models.CASCADE, related_name="pins"
    )
    pinned_until = models.DateTimeField(
        _("ghim đến"),
        null=True,
        blank=True,
        help_text=_("Hết giờ này thì vị trí trở lại tin mới nhất; để trống: ghim mãi."),
    )
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("vị trí trên trang chủ")
        verbose_name_plural = _("Sắp xếp trang chủ")
        ordering = ["place", "category", "position", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(place="section", category__isnull=False)
                | (~models.Q(place="section") & models.Q(category__isnull=True)),
                name="pin_section_has_category",
                violation_error_message=_(
                    "Chỉ vị trí “Tin đầu chuyên mục” có chuyên mục, và nó cần một."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_place_display()}: {self.article}"


class Correction(models.Model):
    """A dated note on a published story: what was wrong, or what is new.

    Readers see it on the story with its time, on ``/dinh-chinh/``, in the
    feeds and in the JSON-LD; the story's text is never silently rewritten.
    Written by :func:`articles.services.add_correction`.
    """

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Đính chính")
        UPDATE = "update", _("Cập nhật")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(
        _("loại"), max_length=20, choices=Kind.choices, default=Kind.CORRECTION
    )
    text = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(_("lúc"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người viết"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("đính chính hoặc cập nhật")
        verbose_name_plural = pgettext_lazy("số nhiều", "đính chính và cập nhật")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="correction_new")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text}"


class DeskNote(models.Model):
    """A line of a story's desk thread: a note, and the step it went with."""

    class Step(models.TextChoices):
        NOTE = "note", _("Ghi chú")
        SUBMIT = "submit", _("Gửi duyệt")
        RETURN = "return", _("Trả lại phóng viên")
        PUBLISH = "publish", _("Xuất bản")
        SCHEDULE = "schedule", _("Hẹn giờ")
        UNPUBLISH = "unpublish", _("Gỡ bài")
        ARCHIVE = "archive", _("Lưu trữ")
        ASSIGN = "assign", _("Giao bài")
        TAKEOVER = "takeover", _("Giành quyền sửa")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="desk_notes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người viết"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    step = models.CharField(
        _("bước"), max_length=20, choices=Step.choices, default=Step.NOTE
    )
    text = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("ghi chú của ban biên tập")
        verbose_name_plural = pgettext_lazy("số nhiều", "ghi chú của ban biên tập")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["article", "-created_at"], name="desknote_art")]

    def __str__(self) -> str:
        return f"{self.get_step_display()}: {self.text}"

    @property
    def by(self) -> str:
        """Who wrote it, as the desk knows them (``desk.display_name``)."""
        from .desk import display_name

        return display_name(self.user)


class WorkingCopy(models.Model):
    """One user's unsaved form of a story (``article`` empty: a new one).

    Written by autosave, by a save that met an expired session or a refused
    token, and when someone else takes the story over. Not a revision: the
    history keeps only real saves. Removed when the user saves.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    article = models.ForeignKey(
        Article, null=True, on_delete=models.CASCADE, related_name="+"
    )
    # The form's fields as the browser sent them: {name: [values]}.
    data = models.JSONField(default=dict)
    # The article version the form was opened at.
    version = models.PositiveIntegerField(null=True)
    reason = models.CharField(max_length=20, default="auto")
    saved_at = models.DateTimeField()

    class Meta:
        verbose_name = _("bản tự lưu")
        verbose_name_plural = pgettext_lazy("số nhiều", "bản tự lưu")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"], name="working_copy_once"
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(article__isnull=True),
                name="working_copy_new_once",
            ),
        ]

    def __str__(self) -> str:
        return _("bản tự lưu lúc %(when)s") % {
            "when": text.format_datetime_vi(self.saved_at)
        }


class EditLock(models.Model):
    """Who has a story open in the editor now; it lapses when the heartbeat stops."""

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    since = models.DateTimeField()
    seen_at = models.DateTimeField()
    # Set when someone took the story over: whom from, and why.
    taken_from = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(blank=True)
    # Which open editor page holds it: the page rendered last. Another page
    # of the same user (one left behind, a second tab) keeps it alive but
    # cannot let it go.
    page = models.CharField(max_length=32, blank=True, default="")

    def __str__(self) -> str:
        return _("khóa sửa bài “%(title)s”") % {"title": self.article.title}


class ReadCount(models.Model):
    """How many times a story was read in one hour (for "Đọc nhiều").

    Written in batches by ``articles.reads``, never once per page view.
    """

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="read_counts"
    )
    hour = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "hour"], name="read_once_per_hour"
            )
        ]
        indexes = [models.Index(fields=["hour"], name="read_hour")]
        verbose_name = _("lượt đọc")
        verbose_name_plural = _("lượt đọc")

    def __str__(self) -> str:
        return f"{self.article_id} {self.hour:%Y-%m-%d %H}: {self.count}"


class Feed(models.Model):
    """A partner's RSS or Atom feed that ``poll_feeds`` reads for new stories."""

    name = models.CharField(_("tên"), max_length=200)
    url = models.URLField(_("địa chỉ"), max_length=1000, unique=True)
    section = models.ForeignKey(
        Category,
        verbose_name=_("chuyên mục cho bài mới"),
        on_delete=models.PROTECT,
        related_name="feeds",
    )
    agency = models.CharField(
        _("cơ quan/nguồn tin"), max_length=200, blank=True, help_text=_("Ví dụ: TTXVN")
    )
    status = models.CharField(
        _("trạng thái của bài mới"),
        max_length=20,
        choices=[
            (Status.DRAFT, Status.DRAFT.label),
            (Status.REVIEW, Status.REVIEW.label),
        ],
        default=Status.DRAFT,
    )
    active = models.BooleanField(_("đang đọc"), default=True)
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_polled_at = models.DateTimeField(_("đọc lần cuối"), null=True, editable=False)
    last_result = models.CharField(
        _("kết quả lần cuối"), max_length=500, blank=True, editable=False
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("nguồn tin RSS/Atom")
        verbose_name_plural = _("nguồn tin RSS/Atom")

    def __str__(self) -> str:
        return self.name
