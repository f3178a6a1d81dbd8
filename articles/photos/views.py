"""The editor's image upload: our own view, not the package's."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import body
from ..models import Photo
from . import images
from .intake import store_photo_file


@require_POST
def photo_upload(request: HttpRequest) -> JsonResponse:
    """Take an image from the editor; it becomes a Photo row in the library.

    Staff with the right to add photos only; CSRF-checked by the middleware;
    the file is decoded by Pillow and refused, with nothing stored, unless it
    is a JPEG, PNG, WebP or GIF within the size and pixel limits.
    """
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm("articles.add_photo")):
        return _upload_error(_("Bạn không có quyền tải ảnh lên."), 403)
    upload = request.FILES.get("upload")
    if upload is None:
        return _upload_error(_("Không nhận được tệp ảnh."), 400)
    photo = Photo()
    try:
        store_photo_file(photo, upload, upload.name)
    except images.ImageRejected as exc:
        return _upload_error(f"{upload.name}: {exc}", 400)
    photo.save()
    return JsonResponse({"url": body.editor_src(photo), "id": photo.pk})


def _upload_error(message: str, status: int) -> JsonResponse:
    # The shape CKEditor 5's upload adapter shows to the user.
    return JsonResponse({"error": {"message": message}}, status=status)
