from django.urls import path

from feeds import views
from feeds.catalog import FORMATS, KINDS
from feeds.feed_views import feed_view

urlpatterns = [
    path("entries/", views.entry_list, name="entry-list"),
    path("entries/<slug:slug>/", views.entry_detail, name="entry-detail"),
    path("feeds/", views.index, name="feeds-index"),
    path("feeds/opml/", views.opml, name="feeds-opml"),
    *(
        path(f"feeds/{kind.slug}.{fmt}", feed_view(kind, fmt), name=f"feed-{kind.slug}-{fmt}")
        for kind in KINDS
        for fmt in FORMATS
    ),
]
