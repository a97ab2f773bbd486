"""Entry bodies: Markdown in, sanitised HTML out.

Markdown because authors write it comfortably and it degrades to readable text; nh3 (the Rust
ammonia sanitiser) because Markdown passes raw HTML through, and a feed or page must never
carry an author's <script>. Feeds need absolute URLs (readers show entries far from the site),
so relative links can be resolved against the site's base URL.

An entry's body is rendered once, when it is saved (``render_body``), with its relative links
made absolute against a placeholder origin. Serving puts an origin in its place: the site's
in a feed (``feeds.syndication``), none on the site's own pages (``Entry.html``), so one
stored rendering serves every page, feed and Host.
"""

import markdown
import nh3
from django.utils.safestring import mark_safe

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "i", "img",
    "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead",
    "tr", "ul",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "abbr": {"title"}}
URL_SCHEMES = {"http", "https", "mailto"}
# .invalid is reserved and never resolves (RFC 2606): nothing real is ever replaced.
PLACEHOLDER_HOST = "site-origin.invalid"
PLACEHOLDER_ORIGIN = f"https://{PLACEHOLDER_HOST}"


def render_markdown(text, base_url=None):
    html = markdown.markdown(text, extensions=["fenced_code", "tables"], output_format="html")
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        url_relative=("rewrite_with_base", base_url) if base_url else "pass_through",
    )
    return mark_safe(clean)  # noqa: S308 - nh3 has just sanitised it


def render_body(text):
    """An entry's stored HTML: relative links resolved against PLACEHOLDER_ORIGIN."""
    return render_markdown(text, base_url=f"{PLACEHOLDER_ORIGIN}/")


def with_origin(html, origin):
    """Stored HTML (``str`` or ``bytes``) with the placeholder origin replaced by ``origin``
    (``""``: links relative to the site's root)."""
    if isinstance(html, bytes):
        return html.replace(PLACEHOLDER_ORIGIN.encode(), origin.encode())
    return html.replace(PLACEHOLDER_ORIGIN, origin)
