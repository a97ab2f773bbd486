"""Entries, their RSS/Atom feeds, and the demo data (``manage.py seed_demo``)."""
