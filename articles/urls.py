"""Public URLs of the reader site."""

from django.contrib.sitemaps.views import index as sitemap_index
from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import feeds, sitemaps, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("tim-kiem/", views.search_view, name="search"),
    path("tac-gia/<slug:slug>/", views.author_detail, name="author"),
    path("chu-de/<slug:slug>/", views.tag_detail, name="tag"),
    path("rss/", feeds.LatestArticlesFeed(), name="feed"),
    path("atom/", feeds.LatestArticlesAtom(), name="feed_atom"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("suc-khoe/", views.health, name="health"),
    path("ngon-ngu/<str:code>/", views.set_language, name="set_language"),
    path(
        "sitemap.xml",
        sitemap_index,
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "articles:sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-news.xml", sitemaps.news_sitemap, name="sitemap_news"),
    path(
        "sitemap-<section>.xml",
        sitemap,
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap_section",
    ),
    path("<path:path>/rss/", feeds.LatestArticlesFeed(), name="category_feed"),
    path("<path:path>/atom/", feeds.LatestArticlesAtom(), name="category_feed_atom"),
    path("<path:path>/<slug:slug>-<int:pk>.htm", views.article_detail, name="article"),
    path("<path:path>/", views.category_detail, name="category"),
]
