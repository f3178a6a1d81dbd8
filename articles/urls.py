"""Public URLs of the reader site."""

from django.urls import path

from . import feeds, sitemaps, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("tim-kiem/", views.search_view, name="search"),
    path("dinh-chinh/", views.corrections_view, name="corrections"),
    path("tin-nong.json", views.breaking_view, name="breaking"),
    path("truc-tiep/<int:pk>.json", views.live_entries, name="live_entries"),
    path("tac-gia/<slug:slug>/", views.author_detail, name="author"),
    path("chu-de/<slug:slug>/", views.tag_detail, name="tag"),
    path("rss/", feeds.LatestArticlesFeed(), name="feed"),
    path("atom/", feeds.LatestArticlesAtom(), name="feed_atom"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-news.xml", sitemaps.news_sitemap, name="sitemap_news"),
    path(
        "sitemap-bai-viet-<int:year>-<int:month>-<int:day>.xml",
        sitemaps.day,
        name="sitemap_day",
    ),
    path("sitemap-bai-viet-<int:number>.xml", sitemaps.block, name="sitemap_block"),
    path("sitemap-<section>.xml", sitemaps.section, name="sitemap_section"),
    path("luot-doc/<int:pk>/", views.count_read, name="count_read"),
    path("<int:year>/<int:month>/<int:day>/", views.day_archive, name="day_archive"),
    path("<path:path>/rss/", feeds.LatestArticlesFeed(), name="category_feed"),
    path("<path:path>/atom/", feeds.LatestArticlesAtom(), name="category_feed_atom"),
    path("<path:path>/<slug:slug>-<int:pk>.htm", views.article_detail, name="article"),
    path("<path:path>/", views.category_detail, name="category"),
]
