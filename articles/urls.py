"""Public URLs of the reader site."""

from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("tac-gia/<slug:slug>/", views.author_detail, name="author"),
    path("chu-de/<slug:slug>/", views.tag_detail, name="tag"),
    path("<path:path>/<slug:slug>-<int:pk>.htm", views.article_detail, name="article"),
    path("<path:path>/", views.category_detail, name="category"),
]
