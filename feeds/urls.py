from django.urls import path

from feeds import secret_addresses, views
from feeds.catalog import FORMATS, KINDS
from feeds.feed_views import feed_view, secret_feed_view

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
    # The private feeds again, behind secret addresses (feeds.feed_views.secret_feed_view).
    *(
        path(
            f"feeds/s/<str:secret>/{kind.slug}.{fmt}",
            secret_feed_view(kind, fmt),
            name=f"feed-{kind.slug}-{fmt}-secret",
        )
        for kind in KINDS
        if not kind.is_public
        for fmt in FORMATS
    ),
    path("account/feed-addresses/", secret_addresses.address_list, name="feed-addresses"),
    path(
        "account/feed-addresses/<int:pk>/revoke/",
        secret_addresses.address_revoke,
        name="feed-address-revoke",
    ),
]
