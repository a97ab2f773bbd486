"""Reading this process's Prometheus registry and the site's /metrics, for the metrics tests."""

from django.test import Client
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families


def sample(name, **labels):
    return REGISTRY.get_sample_value(name, labels) or 0


class Counts:
    """The samples named, read now and again later: ``counts.added()`` is the difference."""

    def __init__(self, *samples):
        self.samples = samples
        self.before = self.read()

    def read(self):
        return [sample(name, **labels) for name, labels in self.samples]

    def added(self):
        return [now - then for now, then in zip(self.read(), self.before, strict=True)]


def scrape(client=None, **headers):
    return (client or Client()).get("/metrics", **headers)


def families(response):
    return {family.name: family for family in text_string_to_metric_families(response.text)}
