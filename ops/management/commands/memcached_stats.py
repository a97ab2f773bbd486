"""Show each memcached node of each cluster: up or down, items, memory, evictions, hits."""

import json

from django.core.management.base import BaseCommand
from django.template.defaultfilters import filesizeformat

from ops.memcached import all_clusters

COLUMNS = (
    "cluster",
    "alias",
    "node",
    "state",
    "items",
    "used",
    "limit",
    "evictions",
    "hits",
    "uptime",
)


def _duration(seconds):
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    return f"{days}d {hours}h" if days else f"{hours}h {seconds // 60}m"


def rows(clusters):
    for cluster in clusters:
        for node in cluster["nodes"]:
            figures = ("-",) * 6
            if node["up"]:
                hits = node["hit_ratio"]
                figures = (
                    str(node["items"]),
                    filesizeformat(node["bytes"]),
                    filesizeformat(node["limit_bytes"]),
                    str(node["evictions"]),
                    "-" if hits is None else f"{hits:.1%}",
                    _duration(node["uptime_seconds"]),
                )
            state = "up" if node["up"] else "DOWN"
            yield (cluster["cluster"], cluster["alias"], node["server"], state, *figures)


class Command(BaseCommand):
    help = (
        "Show each memcached node of each cache cluster: state, items, memory, evictions, "
        "hit ratio, uptime."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print JSON for machines.")

    def handle(self, *args, **options):
        clusters = all_clusters()
        if options["json"]:
            self.stdout.write(json.dumps(clusters, indent=2))
            return
        table = [COLUMNS, *rows(clusters)]
        widths = [max(len(row[i]) for row in table) for i in range(len(COLUMNS))]
        for row in table:
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
