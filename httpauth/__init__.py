"""HTTP Basic authentication for views that feed readers poll.

``logged_in_or_basicauth`` and ``has_perm_or_basicauth`` arrive with issue #4.
"""
