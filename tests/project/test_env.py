import re

import pytest

from project.env import (
    EnvError,
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_int_pair,
    env_list,
    env_networks,
    env_origin,
    env_origins,
    env_required,
    env_servers,
    env_str,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True),
        ("1", True),
        ("YES", True),
        (" on ", True),
        ("false", False),
        ("0", False),
        ("No", False),
        ("off", False),
    ],
)
def test_bool_accepts_the_usual_words(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", not expected) is expected


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_bool_unset_or_blank_gives_the_default(monkeypatch, raw):
    if raw is None:
        monkeypatch.delenv("FLAG", raising=False)
    else:
        monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", True) is True


def test_bool_rejects_other_words_naming_variable_and_form(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "ture")
    with pytest.raises(EnvError) as excinfo:
        env_bool("DJANGO_DEBUG", False)
    assert str(excinfo.value) == (
        "DJANGO_DEBUG is 'ture'; expected one of true/false, 1/0, yes/no, on/off."
    )


def test_required_missing_names_variable(monkeypatch):
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    with pytest.raises(EnvError, match=r"^DJANGO_SECRET_KEY is not set; expected a key\.$"):
        env_required("DJANGO_SECRET_KEY", "a key")


def test_required_missing_is_allowed_when_unless_holds(monkeypatch):
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    assert env_required("DJANGO_SECRET_KEY", "a key", unless=True) is None


def test_int_parses_and_checks_minimum(monkeypatch):
    monkeypatch.setenv("N", "12")
    assert env_int("N", 1) == 12
    monkeypatch.setenv("N", "0")
    with pytest.raises(EnvError, match=r"^N is '0'; expected a whole number >= 1\.$"):
        env_int("N", 1, minimum=1)
    monkeypatch.setenv("N", "twelve")
    with pytest.raises(EnvError, match=r"^N is 'twelve'"):
        env_int("N", 1)


@pytest.mark.parametrize(
    ("raw", "expected"), [("12,8", (12, 8)), (" 3 , 2 ", (3, 2)), ("off", None)]
)
def test_int_pair_reads_two_numbers_or_off(monkeypatch, raw, expected):
    monkeypatch.setenv("BUDGET", raw)
    assert env_int_pair("BUDGET", (1, 1)) == expected


def test_int_pair_unset_gives_the_default(monkeypatch):
    monkeypatch.delenv("BUDGET", raising=False)
    assert env_int_pair("BUDGET", (12, 8)) == (12, 8)


@pytest.mark.parametrize("raw", ["12", "12,8,4", "0,8", "12,-1", "twelve,8", "12;8"])
def test_int_pair_refuses_anything_else_naming_the_form(monkeypatch, raw):
    monkeypatch.setenv("BUDGET", raw)
    with pytest.raises(EnvError) as excinfo:
        env_int_pair("BUDGET", (12, 8))
    assert str(excinfo.value) == (
        f"BUDGET is {raw!r}; expected two whole numbers >= 1 such as 12,8, or off."
    )


def test_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", " example.com, www.example.com ,,")
    assert env_list("HOSTS") == ["example.com", "www.example.com"]


def test_origins_need_a_scheme_and_nothing_after_the_host(monkeypatch):
    monkeypatch.setenv("ORIGINS", "https://example.com,http://localhost:8000")
    assert env_origins("ORIGINS") == ["https://example.com", "http://localhost:8000"]
    # Each would leave the allowed host that follows DJANGO_SITE_URL without a host.
    nameless = ("http://", "https://:443", "https://[::1", "https://ex ample.com", "http://a:x")
    for bad in ("example.com", "https://example.com/path", *nameless):
        monkeypatch.setenv("ORIGINS", bad)
        with pytest.raises(EnvError, match=f"^ORIGINS contains '{re.escape(bad)}'; expected"):
            env_origins("ORIGINS")


def test_networks_are_addresses_or_cidr_networks(monkeypatch):
    monkeypatch.setenv("PROXIES", " 10.0.0.5, 192.168.0.0/16 ,::1,fd00::/8")
    assert env_networks("PROXIES") == ["10.0.0.5/32", "192.168.0.0/16", "::1/128", "fd00::/8"]
    monkeypatch.delenv("PROXIES")
    assert env_networks("PROXIES") == []


@pytest.mark.parametrize("bad", ["proxy.example.com", "10.0.0.300", "192.168.1.1/24", "*"])
def test_networks_refuse_names_and_malformed_networks(monkeypatch, bad):
    monkeypatch.setenv("PROXIES", f"10.0.0.5,{bad}")
    with pytest.raises(EnvError, match=f"^PROXIES contains '{re.escape(bad)}'; expected"):
        env_networks("PROXIES")


def test_origin_is_one_origin_or_none(monkeypatch):
    monkeypatch.setenv("SITE", "https://www.example.com")
    assert env_origin("SITE") == "https://www.example.com"
    monkeypatch.delenv("SITE")
    assert env_origin("SITE") is None
    for bad, problem in [
        ("https://a.example.com,https://b.example.com", "names several origins"),
        ("www.example.com", "contains 'www.example.com'"),
    ]:
        monkeypatch.setenv("SITE", bad)
        with pytest.raises(EnvError, match=f"^SITE {problem}; expected"):
            env_origin("SITE")


def test_servers_default_is_one_node(monkeypatch):
    monkeypatch.delenv("MEMCACHED_OBJECTS", raising=False)
    assert env_servers("MEMCACHED_OBJECTS", "127.0.0.1:11211") == ["127.0.0.1:11211"]


def test_servers_accept_a_cluster_of_names_addresses_and_ipv6(monkeypatch):
    monkeypatch.setenv("MEMCACHED_SESSIONS", "mc-1:11211, 10.0.0.7:11212,[::1]:11213")
    assert env_servers("MEMCACHED_SESSIONS", "x:1") == [
        "mc-1:11211",
        "10.0.0.7:11212",
        "[::1]:11213",
    ]


@pytest.mark.parametrize(
    "raw", ["localhost", "localhost:", ":11211", "host:port", "host:70000", "host:0", "a b:1"]
)
def test_servers_reject_anything_but_host_port(monkeypatch, raw):
    monkeypatch.setenv("MEMCACHED_OBJECTS", raw)
    with pytest.raises(EnvError) as excinfo:
        env_servers("MEMCACHED_OBJECTS", "127.0.0.1:11211")
    assert str(excinfo.value) == (
        f"MEMCACHED_OBJECTS contains {raw!r}; expected a comma-separated list of host:port, "
        "such as 10.0.0.5:11211,10.0.0.6:11211."
    )


def test_servers_reject_a_node_named_twice(monkeypatch):
    monkeypatch.setenv("MEMCACHED_OBJECTS", "a:1,a:1")
    with pytest.raises(EnvError, match=r"^MEMCACHED_OBJECTS names a server twice"):
        env_servers("MEMCACHED_OBJECTS", "127.0.0.1:11211")


def test_database_default_is_sqlite_with_wal_and_immediate_transactions(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = env_database("DATABASE_URL", f"sqlite:///{tmp_path}/db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == f"{tmp_path}/db.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_database_postgres_url(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://site:s%3Acret@db.internal:5433/site")
    config = env_database("DATABASE_URL", "sqlite:///unused")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "site")
    assert (config["USER"], config["PASSWORD"]) == ("site", "s:cret")
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"] is True


def test_a_postgres_connection_attempt_is_bounded_unless_the_url_says_otherwise(monkeypatch):
    """A server gone mid-handshake held a worker past gunicorn's timeout: a bare 500 (seen in the
    production drill, PostgreSQL stopped)."""
    monkeypatch.setenv("DATABASE_URL", "postgres://site:pw@db.internal:5432/site")
    assert env_database("DATABASE_URL", "sqlite:///unused")["OPTIONS"]["connect_timeout"] == 5
    monkeypatch.setenv("DATABASE_URL", "postgres://site:pw@db.internal:5432/site?connect_timeout=2")
    assert env_database("DATABASE_URL", "sqlite:///unused")["OPTIONS"]["connect_timeout"] == 2


def test_database_unknown_scheme_names_variable_and_form(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mongodb://user:secret@host/db")
    with pytest.raises(EnvError) as excinfo:
        env_database("DATABASE_URL", "sqlite:///unused")
    assert str(excinfo.value) == (
        "DATABASE_URL has an unknown scheme 'mongodb'; expected a URL such as "
        "sqlite:////data/db.sqlite3 or postgres://user:password@host:5432/name."
    )


def test_database_invalid_url_does_not_echo_the_password(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://user:secret@host:port/db")
    with pytest.raises(EnvError, match=r"^DATABASE_URL is not a valid URL") as excinfo:
        env_database("DATABASE_URL", "sqlite:///unused")
    assert "secret" not in str(excinfo.value)


def test_choice_accepts_only_its_choices(monkeypatch):
    monkeypatch.setenv("ENGINE", "b")
    assert env_choice("ENGINE", "a", ("a", "b")) == "b"
    monkeypatch.delenv("ENGINE")
    assert env_choice("ENGINE", "a", ("a", "b")) == "a"
    monkeypatch.setenv("ENGINE", "c")
    with pytest.raises(EnvError) as excinfo:
        env_choice("ENGINE", "a", ("a", "b"))
    assert str(excinfo.value) == "ENGINE is 'c'; expected one of a, b."


def test_an_unset_variable_comes_from_the_file_its_FILE_names(monkeypatch, tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("  from a mounted secret\n")
    monkeypatch.delenv("SITE_TEST_SECRET", raising=False)
    monkeypatch.setenv("SITE_TEST_SECRET_FILE", str(secret))
    assert env_str("SITE_TEST_SECRET") == "from a mounted secret"
    monkeypatch.setenv("SITE_TEST_SECRET", "set itself")  # the variable wins over its file
    assert env_str("SITE_TEST_SECRET") == "set itself"


def test_a_FILE_that_cannot_be_read_names_the_variable(monkeypatch, tmp_path):
    monkeypatch.delenv("SITE_TEST_SECRET", raising=False)
    monkeypatch.setenv("SITE_TEST_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(
        EnvError,
        match=r"^SITE_TEST_SECRET_FILE is '.*missing', which cannot be read "
        r"\(FileNotFoundError\); expected the path of a readable text file\.$",
    ):
        env_str("SITE_TEST_SECRET")
