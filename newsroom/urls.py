"""Root URLs: the admin, the editor's upload endpoint, media in development, the site."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from articles.admin.views import photo_upload

admin.site.site_header = _("Tòa soạn")
admin.site.site_title = _("Tòa soạn")
admin.site.index_title = _("Quản trị nội dung")

urlpatterns = [
    path("admin/", admin.site.urls),
    # The editor's image upload: our own view, not the package's.
    path("toa-soan/anh/tai-len/", photo_upload, name="photo_upload"),
    path("i18n/", include("django.conf.urls.i18n")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
urlpatterns.append(path("", include("articles.urls")))
