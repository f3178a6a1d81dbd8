"""The background-job results' app, named in Vietnamese in the admin."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class BackgroundJobsConfig(TasksAppConfig):
    verbose_name = _("Công việc nền")
