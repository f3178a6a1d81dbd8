"""Root URLs: the admin, the editor's upload, site infrastructure, the reader site."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from articles.photos.views import photo_upload

from . import views

admin.site.site_header = _("Tòa soạn")
admin.site.site_title = _("Tòa soạn")
admin.site.index_title = _("Quản trị nội dung")

urlpatterns = [
    path(settings.NEWSROOM_ADMIN_PATH, admin.site.urls),
    # The editor's image upload: our own view, not the package's.
    path("toa-soan/anh/tai-len/", photo_upload, name="photo_upload"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("suc-khoe/", views.health, name="health"),
    path("suc-khoe/san-sang/", views.ready, name="ready"),
    path("ngon-ngu/<str:code>/", views.set_language, name="set_language"),
    # Uploaded files from Django itself: in development, and on one machine
    # with NEWSROOM_SERVE_MEDIA=1. Larger sites serve media/ from the web
    # server or object storage.
    re_path(r"^media/(?P<path>.+)$", views.serve_media),
    path("", include("articles.urls")),
]

handler500 = "newsroom.views.server_error"
