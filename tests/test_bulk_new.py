"""``bulk.new``: the import's quick ``model()``, the same instance without
``Model.__init__``'s per-field work, and ``model()`` itself where a
receiver of ``post_init`` would be skipped."""

import pytest
from django.db.models.signals import post_init

from articles import bulk
from articles.models import Article, Photo


def _fields(obj) -> dict:
    """What a new instance holds, each value read through its descriptor."""
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if not f.generated
    }


@pytest.mark.parametrize("model", [Article, Photo])
def test_a_new_instance_is_what_the_model_makes(model):
    made, quick = model(), bulk.new(model)
    assert type(quick) is model
    assert _fields(quick) == _fields(made)
    assert quick.pk is None and quick._state.adding and quick._state.db is None
    assert bulk.new(model).__dict__ is not quick.__dict__


def test_callable_defaults_are_called_for_each_instance():
    first, second = bulk.new(Article), bulk.new(Article)
    for field in Article._meta.concrete_fields:
        if field.has_default() and callable(field.default):
            assert getattr(first, field.attname) == field.default()
    assert first.__dict__ is not second.__dict__


@pytest.mark.django_db
def test_a_photo_made_quickly_saves_and_reads_back():
    photo = bulk.new(Photo)
    photo.caption = "Quang cảnh hội nghị"
    photo.save()
    again = Photo.objects.get(pk=photo.pk)
    assert again.caption == "Quang cảnh hội nghị" and not again.image


def test_a_model_with_its_own_post_init_receiver_is_made_by_the_model():
    seen = []

    def mark(sender, instance, **kwargs):
        seen.append(instance)

    bulk._MAKERS.pop(Article, None)
    post_init.connect(mark, sender=Article)
    try:
        obj = bulk.new(Article)
        assert seen == [obj]
    finally:
        post_init.disconnect(mark, sender=Article)
        bulk._MAKERS.pop(Article, None)
    bulk.new(Article)
    assert seen == [obj]  # the quick path again, once the receiver is gone
