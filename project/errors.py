"""The site's answer to an error no view handled (``handler500`` in project/urls.py).

A database that cannot be reached (PostgreSQL stopped, restarting, failing over; SQLite
locked past its timeout) is not a bug: the page answers 503 with Retry-After, which a proxy,
a browser and a crawler read as "come back soon", and the site recovers by itself, as Django
opens a new connection on the next request. /readyz names the database meanwhile. Anything
else is Django's 500 page.

Both are rendered without a request, as Django's own 500 is: the context processors, which
ask the database, must not run again while it is down.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views import defaults

RETRY_AFTER_SECONDS = 10


def server_error(request):
    exception = sys.exc_info()[1]  # the exception being handled, as Django calls this
    if isinstance(exception, (OperationalError, InterfaceError)):
        return database_unavailable()
    return defaults.server_error(request)


def database_unavailable():
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
