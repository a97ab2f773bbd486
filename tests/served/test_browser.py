"""The site in a real browser: headless Chromium (Debian's) driven by Playwright, against
gunicorn and both memcached daemons.

Screenshots of the key pages go to a temporary directory, or to docs/screenshots/ with
UPDATE_SCREENSHOTS=1 (``make screenshots``), where the README and docs/ show them.
"""

import os
import re
import shutil
from pathlib import Path

import feedparser
import pyotp
import pytest
import requests
from playwright.sync_api import expect, sync_playwright

from tests.support.accessibility import assert_accessible
from tests.support.daemons import BASE_DIR
from tests.support.sites import DEMO_PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Headless, as root, and quiet: no first-run, sync or background network traffic.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory):
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        directory = BASE_DIR / "docs" / "screenshots"
        directory.mkdir(parents=True, exist_ok=True)
        return directory
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, site):
    """A page in a fresh context; the test fails if the Content-Security-Policy refused
    anything, as Chromium reports it on the console."""
    context = chromium.new_context(base_url=site.url, viewport={"width": 1100, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    refused = csp_refusals(page)
    yield page
    context.close()
    assert refused == [], "the Content-Security-Policy refused: " + "; ".join(refused)


def csp_refusals(page):
    """What the Content-Security-Policy refuses on ``page`` from now on, as Chromium reports
    it on the console."""
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


def nav(page, name):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".account")).to_have_text(f"Signed in as {username}")


def test_browse_home_the_entries_and_open_one(page, screenshots):
    page.goto("/")
    expect(page).to_have_title(re.compile("^Home · "))
    expect(page.locator("#cache-note")).to_contain_text("The objects cache at work")
    page.screenshot(path=screenshots / "home.png", full_page=True)

    nav(page, "Entries").click()
    expect(page).to_have_title(re.compile("^Entries · "))
    entries = page.locator("li.entry a")
    expect(entries).to_have_count(17)  # the demo's published public entries
    expect(page.locator("li.entry .badge")).to_have_count(0)  # visitors see public entries only
    title = entries.first.inner_text()
    entries.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".entry-detail .body a").first).to_have_attribute("href", "/status/")
    page.screenshot(path=screenshots / "entry.png", full_page=True)


def test_sign_in_shows_members_entries_and_the_current_session(page, screenshots):
    page.goto("/accounts/login/")
    page.screenshot(path=screenshots / "sign-in.png")
    sign_in(page, "alice")
    nav(page, "Entries").click()
    expect(page.locator("li.entry .badge", has_text="Members").first).to_be_visible()

    nav(page, "Account").click()
    page.get_by_role("link", name="Your sessions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your sessions")
    expect(page.locator("tr.current")).to_contain_text("This session")


SPOOFED_AGENTS = {
    "Firefox on Linux": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Safari on iPhone": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) "
    "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Edge on Windows": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
}


def test_each_browser_is_named_in_the_session_list(chromium, site, screenshots):
    contexts = []
    try:
        for user_agent in SPOOFED_AGENTS.values():
            context = chromium.new_context(base_url=site.url, user_agent=user_agent)
            context.set_default_timeout(TIMEOUT_MS)
            contexts.append(context)
            page = context.new_page()
            sign_in(page, "alice")
        page.goto("/account/sessions/")  # the last one: Edge on Windows
        for label in SPOOFED_AGENTS:
            expect(page.locator("span.device", has_text=label).first).to_be_visible()
        current = page.locator("tr.current")
        expect(current.locator("span.device")).to_have_text("Edge on Windows")
        expect(current).to_contain_text("This session")
        expect(current).to_contain_text("Active now")
        current.get_by_text("Details").click()
        expect(current.locator("code.user-agent")).to_have_text(SPOOFED_AGENTS["Edge on Windows"])
        page.set_viewport_size({"width": 1100, "height": 800})
        page.screenshot(path=screenshots / "sessions.png", full_page=True)
    finally:
        for context in contexts:
            context.close()


def test_staff_flush_the_object_cache_and_stay_signed_in(page, screenshots):
    sign_in(page, "bob")
    nav(page, "Status").click()
    expect(page.locator("#cluster-sessions").locator("..")).to_contain_text("Holds your session.")
    page.screenshot(path=screenshots / "status.png", full_page=True)

    page.get_by_role("link", name="Flush the object cache…").click()
    page.get_by_role("button", name="Yes, flush the object cache").click()
    expect(page.locator(".messages")).to_contain_text(
        "The object cache is flushed, and you are still signed in"
    )
    expect(page.locator(".account")).to_have_text("Signed in as bob")
    page.goto("/")
    expect(page.locator(".account")).to_have_text("Signed in as bob")


def test_read_the_members_feed_with_an_app_password(page, site, screenshots):
    sign_in(page, "alice")
    nav(page, "Feeds").click()
    members_url = page.locator("#url-members-rss").input_value()
    assert members_url == f"{site.url}/feeds/members.rss"
    page.screenshot(path=screenshots / "feeds.png", full_page=True)

    page.goto("/account/app-passwords/")
    page.get_by_label("Name it after the reader or device that will use it").fill("newsboat")
    page.get_by_role("button", name="Create an app password").click()
    token = page.locator("#new-app-password").inner_text()
    assert token.startswith("app_")

    newsboat = {"User-Agent": "Newsboat/2.35.0 (Linux x86_64)"}
    response = requests.get(members_url, auth=("alice", token), headers=newsboat, timeout=10)
    assert response.status_code == 200
    for _ in range(2):
        again = requests.get(
            members_url,
            auth=("alice", token),
            headers={**newsboat, "If-None-Match": response.headers["ETag"]},
            timeout=10,
        )
        assert again.status_code == 304
    page.goto("/account/app-passwords/")  # the token is no longer shown; its reader and polls are
    row = page.locator("tr", has_text="newsboat")
    expect(row).to_contain_text("by Newsboat")
    expect(row).to_contain_text("3 polls in 24 h, 67 % not modified · 0 refused")
    page.screenshot(path=screenshots / "app-passwords.png", full_page=True)
    assert "set-cookie" not in {name.lower() for name in response.headers}
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0
    assert len(feed.entries) == 25


def test_carol_signs_in_with_a_code_then_enrols_a_passkey_and_signs_in_with_it(
    chromium, site, screenshots
):
    """The second factor end to end: carol's authenticator code (pyotp, with the key
    docs/demo.md prints), then a passkey made and used by Playwright's virtual authenticator.
    On localhost: browsers offer WebAuthn on HTTPS or localhost, never on 127.0.0.1."""
    from demo.management.commands.seed_demo import CAROLS_TOTP_KEY  # the demo layer's

    context = chromium.new_context(
        base_url=f"http://localhost:{site.port}", viewport={"width": 1100, "height": 800}
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.credentials.install()
    page = context.new_page()
    refused = csp_refusals(page)
    try:
        page.goto("/accounts/login/?next=/account/")
        page.get_by_label("Username").fill("carol")
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your second factor")
        expect(page.locator("#passkey-verification-button")).to_have_count(0)  # she has none
        assert_accessible(page)
        page.screenshot(path=screenshots / "second-factor.png")
        page.get_by_label("Code from your authenticator app").fill(
            pyotp.TOTP(CAROLS_TOTP_KEY).now()
        )
        page.get_by_role("button", name="Confirm").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your account")

        page.get_by_role("link", name="Second factor").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Second factor")
        expect(page.locator("text=Demo authenticator")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("link", name="Add an authenticator app").click()
        expect(page.locator(".qr-code svg")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("link", name="Cancel").click()
        page.get_by_role("button", name="Make new recovery codes").click()
        expect(page.locator("#recovery-codes li")).to_have_count(10)
        assert_accessible(page)
        page.get_by_role("link", name="Done").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Second factor")
        # The button works once the page's scripts have run: clicked before, it did nothing
        # (seen once on a busy machine).
        page.wait_for_load_state("load")
        page.get_by_role("button", name="Add a passkey").click()
        # The page reloads once the passkey is saved (accounts/static/accounts/passkeys.js):
        # three requests, given time on a busy machine.
        expect(page.locator("form[action*='/account/security/passkey/']")).to_have_count(
            1, timeout=15_000
        )
        passkey = page.get_by_role("cell", name="Passkey (Headless Chrome on Linux)", exact=True)
        expect(passkey).to_be_visible()
        page.screenshot(path=screenshots / "security.png", full_page=True)
        [made] = context.credentials.get(rp_id="localhost")
        assert made["signCount"] == 0

        page.get_by_role("button", name="Sign out").click()
        expect(nav(page, "Sign in")).to_be_visible()
        page.goto("/accounts/login/?next=/account/sessions/")
        page.get_by_label("Username").fill("carol")
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your second factor")
        expect(page.get_by_role("button", name="Use your passkey")).to_be_visible()
        assert_accessible(page)
        page.wait_for_load_state("load")  # as for "Add a passkey"
        page.get_by_role("button", name="Use your passkey").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your sessions", timeout=15_000)
        expect(page.locator(".account")).to_have_text("Signed in as carol")
        [used] = context.credentials.get(rp_id="localhost")
        assert used["signCount"] == 1
    finally:
        context.close()
    assert refused == [], "the Content-Security-Policy refused: " + "; ".join(refused)
