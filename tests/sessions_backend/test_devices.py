"""sessions_backend.devices: real User-Agents, browsers and feed readers, each with its label."""

import logging

import pytest

from sessions_backend import devices
from sessions_backend.checks import check_settings
from tests.sessions_backend.user_agents import AGENTS


@pytest.mark.parametrize(("user_agent", "expected"), AGENTS)
def test_each_agent_gets_its_label(user_agent, expected):
    assert devices.label(user_agent) == expected


def test_the_fixture_is_large_and_names_the_readers():
    assert len(AGENTS) >= 40
    assert {"NetNewsWire", "Miniflux", "FreshRSS", "Feedbin", "Newsboat"} <= {
        label for _, label in AGENTS
    }


def test_the_configured_labeller_is_used(settings):
    settings.SESSIONS_BACKEND_DEVICE_LABEL = lambda user_agent: f"Custom {len(user_agent)}"
    assert devices.label_of("curl/8.5.0") == "Custom 10"


def test_a_labeller_that_raises_leaves_the_session_unlabelled_and_says_so(settings, caplog):
    def broken(user_agent):
        raise RuntimeError("no rules file")

    settings.SESSIONS_BACKEND_DEVICE_LABEL = broken
    with caplog.at_level(logging.ERROR, logger="sessions_backend"):
        assert devices.label_of("curl/8.5.0") is None
    assert "SESSIONS_BACKEND_DEVICE_LABEL failed" in caplog.text
    assert "no rules file" in caplog.text


def test_a_long_label_is_cut(settings):
    settings.SESSIONS_BACKEND_DEVICE_LABEL = lambda user_agent: "x" * 500
    assert devices.label_of("curl/8.5.0") == "x" * devices.LABEL_LENGTH


@pytest.mark.parametrize(
    ("configured", "problem"),
    [
        ("sessions_backend.devices.nothing_here", "cannot be imported"),
        ("not a path", "cannot be imported"),
        (42, "is not callable"),
    ],
)
def test_a_labeller_that_is_not_one_is_a_configuration_error(settings, configured, problem):
    settings.SESSIONS_BACKEND_DEVICE_LABEL = configured
    errors = [m for m in check_settings(None) if m.id == "sessions_backend.E005"]
    assert len(errors) == 1
    assert problem in errors[0].msg


def test_the_default_labeller_passes_the_check():
    assert [m for m in check_settings(None) if m.id == "sessions_backend.E005"] == []
