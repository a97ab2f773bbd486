"""Reader access: how feed readers, which speak only HTTP Basic, read private pages, safely.

``httpauth.decorators``: ``logged_in_or_basicauth``, ``has_perm_or_basicauth``;
``httpauth.mixins``: their class-based twins; ``httpauth.backends.AppPasswordBackend``: app
passwords; ``httpauth.reader_access``: the rule that ends every reader secret (app passwords,
and any model of another app declared a ``ReaderSecret``) when its owner's password changes or
the account is deactivated; ``httpauth.limits`` and ``httpauth.clients``: per-client limits,
which the site's sign-in and password reset use too; ``httpauth.conf``: settings. The page
that tells the whole story, installation included: docs/httpauth.md.
"""
