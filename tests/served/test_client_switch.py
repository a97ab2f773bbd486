"""A deployment switching memcached clients (MEMCACHED_CLIENT) as a rolling restart does:
sites on each client side by side on the same two-node clusters, signed-in users moving
between them. Nobody is signed out, on either engine, whichever way the switch goes."""

import pytest

from tests.support.daemons import Memcached
from tests.support.sites import DEMO_PASSWORD, start_site

pytestmark = [pytest.mark.slow, pytest.mark.pylibmc]  # a site on each client

#: Signed-in clients of the demo's two password-only users, several sessions each.
SIGNED_IN = [("alice", n) for n in range(5)] + [("bob", n) for n in range(5)]


@pytest.fixture(scope="module")
def clusters():
    with Memcached() as o1, Memcached() as o2, Memcached() as s1, Memcached() as s2:
        yield [o1, o2], [s1, s2]


@pytest.fixture(scope="module", params=["cache", "cached_db"])
def sites(request, clusters, tmp_path_factory, collected_static):
    """``{client: site}``: one site on each client, one database, the same daemons."""
    objects, sessions = clusters
    directory = tmp_path_factory.mktemp(f"switch-{request.param}")
    engine = f"sessions_backend.backends.{request.param}"
    started = {}
    try:
        for client in ("pylibmc", "pymemcache"):
            started[client] = start_site(
                directory, objects, sessions, MEMCACHED_CLIENT=client, DJANGO_SESSION_ENGINE=engine
            )
        yield started
    finally:
        for site in started.values():
            site.stop()
        for daemon in [*objects, *sessions]:
            daemon.flush()


def signed_in_as(site, browser):
    page = browser.get(f"{site.url}/account/", timeout=10, allow_redirects=False)
    if page.status_code != 200:
        return None
    return page.text.split("Signed in as <strong>", 1)[1].split("</strong>", 1)[0]


@pytest.mark.parametrize(
    ("before", "after"), [("pylibmc", "pymemcache"), ("pymemcache", "pylibmc")]
)
def test_switching_clients_signs_nobody_out(sites, before, after):
    browsers = []
    for username, _ in SIGNED_IN:
        browser, response = sites[before].sign_in(username, DEMO_PASSWORD)
        assert response.status_code == 302, response.text[:200]
        browsers.append((username, browser))
    # The sessions spread over both nodes of the sessions cluster, so placement was tested.
    # Every one of them is signed in on the site that runs the other client...
    assert [signed_in_as(sites[after], b) for _, b in browsers] == [u for u, _ in browsers]
    # ...where a save (the session lists record the new site's visit) reads back on the first.
    assert [signed_in_as(sites[before], b) for _, b in browsers] == [u for u, _ in browsers]
    # Ending one session on the new client ends it for the old one too: no stale copy.
    username, browser = browsers[0]
    signed_out = browser.post(
        f"{sites[after].url}/accounts/logout/",
        data={"csrfmiddlewaretoken": browser.cookies.get("csrftoken", "")},
        headers={"Referer": f"{sites[after].url}/account/"},
        allow_redirects=False,
        timeout=10,
    )
    assert signed_out.status_code == 302
    assert signed_in_as(sites[before], browser) is None
    assert [signed_in_as(sites[before], b) for _, b in browsers[1:]] == [u for u, _ in browsers[1:]]
