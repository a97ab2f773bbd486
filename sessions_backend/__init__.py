"""Session engines that keep sessions in their own memcached cluster.

The project stores sessions in the ``sessions`` cache alias (``SESSION_CACHE_ALIAS``).
The engines, their outage policy and the per-user session list arrive with issue #3.
"""
