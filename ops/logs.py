"""The site's log lines as JSON, one object a line, when ``LOG_FORMAT=json``.

Each line has ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``pid``, ``message`` and
``request_id`` (ops.request_id; null outside a request), then whatever the record
carries: ``exc_info`` with a traceback, ``http`` on gunicorn's access lines
(gunicorn.conf.py). Secrets are masked in the whole line (ops.redaction), whatever field
they are in. Plain text (the default) keeps its filter: the settings' LOGGING.
"""

from datetime import UTC, datetime

from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

from ops import request_id
from ops.redaction import redact


class JsonFormatter(BaseJsonFormatter):
    def __init__(self, *args, **kwargs):
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
            rename_fields={
                "asctime": "time",
                "levelname": "level",
                "name": "logger",
                "process": "pid",
            },
            json_ensure_ascii=False,
        )

    def formatTime(self, record, datefmt=None):
        moment = datetime.fromtimestamp(record.created, UTC)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def add_fields(self, log_record, record, message_dict):
        super().add_fields(log_record, record, message_dict)
        log_record.setdefault("request_id", request_id.current())

    def format(self, record):
        return redact(super().format(record))
