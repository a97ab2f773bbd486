"""The production proxy, deploy/proxy/site.conf as shipped, in front of gunicorn on loopback
(SECURITY.md, findings 1, 4 and 8): what its access log keeps, which paths it refuses, which
Hosts it serves. make smoke-production runs the same file in its container.
"""

import http.client
import re
import ssl
import subprocess

import pytest
import requests

from tests.support import escapes
from tests.support.daemons import ProductionProxy

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(proxied_site):
    return proxied_site


@pytest.fixture(scope="module")
def proxy(site):
    with ProductionProxy(site.port, site_host="localhost") as nginx:
        yield nginx


def raw_get(proxy, path, host="localhost", headers=None):
    """GET ``path`` exactly as written, over HTTPS to the proxy; return the status."""
    context = ssl.create_default_context(cafile=proxy.certificate)
    connection = http.client.HTTPSConnection(
        "127.0.0.1", proxy.https_port, context=context, timeout=10
    )
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", f"{host}:{proxy.https_port}")
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def test_no_secret_address_or_reset_token_reaches_the_proxys_log(site, proxy):
    address = site.manage(
        "feed_url", "alice", "--feed", "members", "--site-url", "https://localhost"
    ).stdout.strip()
    path = address.removeprefix("https://localhost")
    secret = path.split("/")[3]
    reset = escapes.reset_path(site)
    token = reset.split("/")[4]
    referer = {"Referer": f"https://localhost{path}?from=https://localhost{reset}"}
    answers = [
        raw_get(proxy, path, headers=referer),
        raw_get(proxy, path.replace("/feed_", "/feed%5F")),  # Django decodes: the feed
        raw_get(proxy, path.replace("/feed_", "/%66eed_")),
        raw_get(proxy, f"/accounts/login/?next={path}&again={path}"),
        raw_get(proxy, reset),
    ]
    assert answers == [200, 200, 200, 200, 302]
    plain = requests.get(
        f"http://127.0.0.1:{proxy.http_port}{path}", allow_redirects=False, timeout=10
    )
    assert plain.status_code == 301  # a reader set up with http:// sends it here first

    lines = proxy.access_lines(r"(?m)^.*\" (?:200|301|302) .*$", at_least=len(answers) + 1)
    site.log_lines(r'"GET /accounts/reset/\w+/\[redacted\]/ HTTP')  # the replica's line
    log = proxy.access_log()
    for leaked in (secret[5:], secret[5:25], token, token.split("-")[1]):
        assert leaked not in log
        assert leaked not in site.log()
    assert (
        len(re.findall(r"(?:feed|%66eed)_\[redacted\]", log)) == 7
    )  # 3 paths, next= twice, Referer
    assert f"{reset.rsplit('/', 2)[0]}/[redacted]/" in log
    assert all("request_id=" in line for line in lines)


def test_escaped_reset_links_and_secrets_and_many_secrets_are_masked(site, proxy):
    """SECURITY.md, third review, #8: a reset link with an escaped character, an
    escape escaped again, and a third secret in one line were logged in clear."""
    address = site.manage(
        "feed_url", "alice", "--feed", "members", "--site-url", "https://localhost"
    ).stdout.strip()
    path = address.removeprefix("https://localhost")
    reset = escapes.reset_path(site)
    forms = escapes.spellings(path, reset)
    since = len(proxy.access_log())
    referer = {"Referer": f"https://localhost/?a={path}&b={path}&c={path}&d={reset}"}
    answers = {form: raw_get(proxy, form, headers=referer) for form in forms}
    assert answers == forms
    proxy.access_lines(r"(?m)^.*\" (?:200|302|404) .*$", at_least=len(forms))
    site.log_lines(r"GET /\?a=feed_\[redacted\]")  # the replica's line is there too
    log = proxy.access_log()[since:]
    for leaked in escapes.fragments(path, reset):
        assert leaked not in log
        assert leaked not in site.log()


def test_the_probes_and_metrics_are_not_served_through_the_proxy(site, proxy):
    for path in ("/readyz", "/healthz", "/metrics"):
        assert raw_get(proxy, path) == 404
        assert requests.get(site.url + path, timeout=10).status_code == 200  # inside: served
    assert raw_get(proxy, "/") == 200


def test_a_host_the_site_does_not_serve_is_closed_unanswered(site, proxy):
    since = len(site.log())
    with pytest.raises(http.client.RemoteDisconnected):
        raw_get(proxy, "/feeds/", host="attacker.example")
    assert raw_get(proxy, "/feeds/", host="localhost") == 200
    proxy.access_lines(r'"GET /feeds/ HTTP/1\.1" 444 ')
    site.log_lines(r'"GET /feeds/ HTTP/1\.[01]" 200 ', since=since)
    # Never forwarded: no DisallowedHost line (nor Sentry event) on the web replica.
    assert "attacker.example" not in site.log()[since:]


def test_the_site_host_script_refuses_what_is_not_a_host_name(tmp_path):
    script = ProductionProxy.PROXY / "20-site-host.sh"
    result = subprocess.run(
        ["sh", script, tmp_path / "site-host.conf"],
        env={"SITE_HOST": "example.com; return 200"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "SITE_HOST is 'example.com; return 200'; expected one host name" in result.stderr
    assert not (tmp_path / "site-host.conf").exists()
