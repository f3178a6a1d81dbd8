"""Staff accounts in the admin: nobody grants what they do not hold.

A chief editor may manage the desk's accounts, but only a superuser can
make a superuser, change one, or give a permission (directly or through a
group) that the one giving it does not have.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l


def _granted(cleaned: dict) -> set[str]:
    """Every permission a form's data gives: directly, and through its groups."""
    granted: set[str] = set()
    for field in ("user_permissions", "permissions"):
        chosen = cleaned.get(field)
        if chosen is not None:
            granted |= {
                f"{p.content_type.app_label}.{p.codename}"
                for p in chosen.select_related("content_type")
            }
    for group in cleaned.get("groups") or []:
        granted |= _granted({"permissions": group.permissions.all()})
    return granted


ACTIONS = {
    "add": _l("thêm"),
    "change": _l("sửa"),
    "delete": _l("xóa"),
    "view": _l("xem"),
}


def permission_label(permission) -> str:
    """A permission in Vietnamese: Django stores "Can add log entry" in English."""
    model = permission.content_type.model_class()
    action, _sep, rest = permission.codename.partition("_")
    if model is None or action not in ACTIONS or rest != model._meta.model_name:
        name = permission.name  # a permission of our own, named in Vietnamese
    else:
        name = _("Có thể %(action)s %(model)s") % {
            "action": ACTIONS[action],
            "model": model._meta.verbose_name,
        }
    app = (
        model._meta.app_config.verbose_name
        if model
        else permission.content_type.app_label
    )
    where = model._meta.verbose_name if model else permission.content_type.model
    return f"{app} | {where} | {name}"


class GrantsOnlyWhatIsHeld:
    """A model admin whose form refuses permissions the one granting lacks."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        granter = request.user

        class Guarded(form):
            def clean(self):
                cleaned = super().clean()
                if not granter.is_superuser:
                    beyond = sorted(_granted(cleaned) - granter.get_all_permissions())
                    if beyond:
                        raise ValidationError(
                            _(
                                "Bạn chỉ được trao những quyền mình đang có; "
                                "bạn không có: %(perms)s."
                            )
                            % {"perms": ", ".join(beyond)}
                        )
                return cleaned

        for name in ("user_permissions", "permissions"):
            if name in Guarded.base_fields:
                Guarded.base_fields[name].label_from_instance = permission_label
        return Guarded


class AccountAdmin(GrantsOnlyWhatIsHeld, UserAdmin):
    def get_queryset(self, request):
        accounts = super().get_queryset(request)
        if request.user.is_superuser:
            return accounts
        return accounts.filter(is_superuser=False)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("is_superuser")
        return fields


class RoleAdmin(GrantsOnlyWhatIsHeld, GroupAdmin):
    """A group's permissions are granted to everyone in it: the same rule."""


admin.site.unregister(User)
admin.site.register(User, AccountAdmin)
admin.site.unregister(Group)
admin.site.register(Group, RoleAdmin)
