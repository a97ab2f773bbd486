"""HTTP Basic authentication for views that feed readers poll.

``httpauth.decorators``: ``logged_in_or_basicauth``, ``has_perm_or_basicauth``;
``httpauth.mixins``: their class-based twins; ``httpauth.backends.AppPasswordBackend``: app
passwords; ``httpauth.conf``: settings. The README's "HTTP Basic" section tells the whole story.
"""
