import pytest
from django.core import checks

from tests.support.checks import run_checks


@pytest.mark.parametrize("value", [0, "50", True])
def test_e001_max_items(settings, value):
    settings.FEEDS_MAX_ITEMS = value
    assert run_checks() == [
        checks.Error(
            f"FEEDS_MAX_ITEMS is {value!r}; it must be a whole number >= 1.",
            hint="50 is a common window for feed readers.",
            id="feeds.E001",
        )
    ]


@pytest.mark.parametrize("value", [0, 1.5])
def test_e002_cache_ttl(settings, value):
    settings.FEEDS_CACHE_TTL = value
    assert run_checks() == [
        checks.Error(
            f"FEEDS_CACHE_TTL is {value!r}; it must be a whole number of seconds >= 1.",
            hint="3600 is plenty: a changed entry changes the cache key anyway.",
            id="feeds.E002",
        )
    ]


@pytest.mark.parametrize("value", ["false", 0, None])
def test_e004_secret_addresses(settings, value):
    settings.FEEDS_SECRET_ADDRESSES = value
    assert run_checks() == [
        checks.Error(
            f"FEEDS_SECRET_ADDRESSES is {value!r}; it must be True or False.",
            hint="False turns secret feed addresses off site-wide; True offers them.",
            id="feeds.E004",
        )
    ]
