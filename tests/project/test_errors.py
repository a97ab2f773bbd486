"""project.errors: a database outage is a 503 with Retry-After, any other error the 500."""

import pytest
from django.test import Client


@pytest.fixture
def client(settings):
    settings.ROOT_URLCONF = "tests.project.errors_urls"
    return Client(raise_request_exception=False)


def test_a_database_that_cannot_be_reached_is_a_503(client):
    response = client.get("/database-down/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "<h1>Temporarily unavailable</h1>" in response.content.decode()


def test_any_other_error_is_the_500_page(client):
    response = client.get("/bug/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "<h1>Something went wrong on our side</h1>" in response.content.decode()
