from django import template
from django.urls import reverse
from django.utils.html import format_html_join

from feeds.catalog import readable_feeds

register = template.Library()


@register.simple_tag(takes_context=True)
def feed_links(context):
    """<link rel="alternate"> for exactly the feeds the current viewer may read."""
    request = context["request"]
    return format_html_join(
        "\n",
        '<link rel="alternate" type="{}" title="{} ({})" href="{}">',
        (
            (
                content_type,
                feed["kind"].title,
                fmt.upper() if fmt == "rss" else "Atom",
                reverse(name),
            )
            for feed in readable_feeds(request.user)
            for fmt, name, content_type in feed["formats"]
        ),
    )
