"""Entries, the pages that show them, and their RSS/Atom feeds: docs/feeds.md."""
