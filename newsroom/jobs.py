"""Background jobs through Django's tasks API, tried again when they fail.

A job is a plain function of JSON-serialisable arguments, declared with
:func:`job`; ``name.enqueue(...)`` hands it to the backend ``NEWSROOM_TASKS``
chose (see the settings): run at once in development and tests, a database
row for ``manage.py db_worker`` on one machine, a Redis queue for
``manage.py rqworker`` on many. The API is Django 6's ``django.tasks``
(through the django-tasks backport), so this module moves to Django 6 by
changing its import.

A job that raises is tried again ``NEWSROOM_JOB_RETRIES`` times, waiting 2,
4, 8… seconds, where the backend can wait (the database and RQ); every
failed attempt stays visible with its traceback (the admin's "Kết quả công
việc nền" for the database backend, the RQ dashboard for Redis). Run at once,
a failure is logged and not repeated: nothing in a request waits for a retry.

Jobs are enqueued after the commit of what they act on (:func:`after_commit`),
never inside the transaction: a worker must find the rows it was sent for.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


def job(function):
    """Make ``function`` a task that is tried again when it raises."""

    def run(context, *args, _attempt: int = 1, **kwargs):
        try:
            return function(*args, **kwargs)
        except Exception:
            _again(the_task, args, kwargs, _attempt)
            raise

    # The task is found by the workers under the function's own name.
    run.__module__ = function.__module__
    run.__name__ = function.__name__
    run.__qualname__ = function.__qualname__
    run.__doc__ = function.__doc__
    the_task = task(takes_context=True)(run)
    return the_task


def _again(the_task, args, kwargs, attempt: int) -> None:
    name = the_task.name
    if attempt > settings.NEWSROOM_JOB_RETRIES:
        logger.error("job %s failed %d times; not tried again", name, attempt)
        return
    if not the_task.get_backend().supports_defer:
        logger.exception("job %s failed", name)
        return
    wait = timedelta(seconds=2**attempt)
    logger.warning("job %s failed (attempt %d); again in %s", name, attempt, wait)
    the_task.using(run_after=timezone.now() + wait).enqueue(
        *args, _attempt=attempt + 1, **kwargs
    )


def after_commit(the_task, *args, using: str | None = None, **kwargs) -> None:
    """Enqueue ``the_task`` once the current transaction commits (at once
    outside one); nothing is enqueued if it rolls back."""
    transaction.on_commit(partial(enqueue, the_task, args, kwargs), using=using)


def enqueue(the_task, args=(), kwargs=None) -> None:
    """Enqueue now; a queue that is away is logged, not raised."""
    kwargs = kwargs or {}
    try:
        the_task.enqueue(*args, **kwargs)
    except Exception:
        # The queue is away (Redis down): what was committed stays committed;
        # the job's work is caught up by its next run (purges by the cache's
        # own lifetime, renditions by `regenerate_renditions`).
        logger.exception("could not enqueue %s", the_task.name)
