"""The demo layer's data: ``manage.py seed_demo`` creates the demo users and entries.

Everything only the demo needs lives here. To start an empty site, set ``SEED_DEMO=false``;
to drop the demo for good, remove "demo" (and "feeds", if you do not keep entries) from
INSTALLED_APPS and delete this folder.
"""
