"""Template filters for reader pages."""

from django import template

from .. import text

register = template.Library()


@register.filter
def vn_datetime(value) -> str:
    """Render a datetime as "Thứ Sáu, 10/11/2023 17:30"."""
    return text.format_datetime_vi(value)


@register.filter
def vn_date(value) -> str:
    """Render a date as "Thứ Sáu, 10/11/2023"."""
    return text.format_date_vi(value)
