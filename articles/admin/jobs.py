"""Background jobs in the admin: each run, its state and, when it failed,
its traceback (the database backend; RQ has its own dashboard)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class JobResultAdmin(DBTaskResultAdmin):
    list_display = ("job", "status", "enqueued_at", "finished_at", "display_run_after")
    list_filter = ("status", "queue_name")
    search_fields = ("task_path", "traceback")

    @admin.display(description=_("công việc"), ordering="task_path")
    def job(self, obj: DBTaskResult) -> str:
        return obj.task_path

    @admin.display(description=_("lỗi"))
    def formatted_traceback(self, obj: DBTaskResult) -> str:
        return super().formatted_traceback(obj)

    @admin.display(description=_("chạy lúc"))
    def display_run_after(self, obj: DBTaskResult):
        return super().display_run_after(obj)
