"""HTTP Basic authentication for views that feed readers poll.

``httpauth.decorators``: ``logged_in_or_basicauth``, ``has_perm_or_basicauth``;
``httpauth.mixins``: their class-based twins; ``httpauth.backends.AppPasswordBackend``: app
passwords; ``httpauth.conf``: settings. The page that tells the whole story, installation
included: docs/httpauth.md.
"""
