"""Flush, then kill and restart, the objects memcached under load: nobody is signed out."""

import pytest

from tests.served.drills.load import Load, signed_in_client, wait

pytestmark = pytest.mark.slow  # a drill: servers under load, seconds each

CLIENTS = 6


def test_flush_and_restart_the_objects_cluster_under_load(site, site_objects, figures):
    clients = [signed_in_client(site) for _ in range(CLIENTS)]
    with Load(site.url, clients) as load:
        wait(1)
        site_objects.flush()
        wait(1)
        site_objects.stop()
        wait(2.5)  # past libmemcached's retry_timeout (2 s): the node is tried again, and fails
        site_objects.start()
        wait(2.5)
    figures("flush at 1 s, kill at 2 s, restart at 4.5 s, stop at 7 s", load.summary())
    assert load.requests > 100
    assert load.server_errors == 0
    assert load.errors == []
    assert load.signed_out == 0
