"""Two gunicorn instances ("two web nodes") sharing both clusters and the database."""

import pytest

from tests.served.drills.load import SIGNED_IN, signed_in_client
from tests.support.sites import start_site

pytestmark = pytest.mark.slow  # a drill: servers under load, seconds each


def test_a_session_made_on_one_node_works_on_the_other(
    site_objects, site_sessions, tmp_path, collected_static, figures
):
    first = start_site(tmp_path, site_objects, site_sessions)
    second = start_site(tmp_path, site_objects, site_sessions)
    try:
        browser = signed_in_client(first)
        cookie = browser.cookies["sessionid"]
        on_second = browser.get(second.url + "/", timeout=10)
        sessions_page = browser.get(second.url + "/account/sessions/", timeout=10)
    finally:
        first.stop()
        second.stop()
    figures(f"signed in on :{first.port}, read on :{second.port} with the same cookie")
    assert on_second.status_code == 200
    assert SIGNED_IN in on_second.text
    assert sessions_page.status_code == 200
    assert '<strong class="badge">This session</strong>' in sessions_page.text
    assert browser.cookies["sessionid"] == cookie
