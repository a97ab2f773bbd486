"""Password resets: limited, and the same answer after the same work for any address.

Django's ``PasswordResetView`` looks the address up and sends the email while the visitor
waits, so a known address answers later than an unknown one: who has an account shows in
the timing. Here the request only counts itself against the limits, then answers; the
lookup and the email happen after the answer, in a thread of their own. A web process
stopped meanwhile loses that email: the visitor asks again.

Limits: ACCOUNTS_PASSWORD_RESET_LIMIT requests per address and per email address within
ACCOUNTS_PASSWORD_RESET_WINDOW seconds (each may send an email); past them, 429.

With ACCOUNTS_PASSWORD_RESET off (this site: no mail server outside DEBUG), the page answers
503 and says so: there is nowhere safe to send the link.
"""

import hashlib
import logging
import threading
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordResetForm
from django.db import connections
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator

from accounts.conf import app_settings
from httpauth import limits
from httpauth.clients import client_key

logger = logging.getLogger(__name__)
#: The name of the threads that send: tests wait for them.
SENDER_THREAD = "password-reset"
COUNTER_PREFIX = "accounts.reset."


# As Django's view is: LoginRequiredMiddleware reads the mark from dispatch.
@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not app_settings.PASSWORD_RESET:
            return unavailable(request)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"]
        if _over_the_limits(self.request, email):
            return too_many_requests(self.request)
        # The link points at the site's own origin when it has one (DJANGO_SITE_URL),
        # whatever Host the request named.
        site = urlsplit(settings.SITE_URL) if settings.SITE_URL else None
        options = {
            "domain_override": site.netloc if site else self.request.get_host(),
            "use_https": site.scheme == "https" if site else self.request.is_secure(),
            "token_generator": self.token_generator,
            "from_email": self.from_email,
            "email_template_name": self.email_template_name,
            "subject_template_name": self.subject_template_name,
            "html_email_template_name": self.html_email_template_name,
            "extra_email_context": self.extra_email_context,
        }
        threading.Thread(
            target=_send, args=(form, options), name=SENDER_THREAD, daemon=True
        ).start()
        return HttpResponseRedirect(self.get_success_url())


def _send(form: PasswordResetForm, options: dict[str, Any]) -> None:
    """Look the address up and send the email, after the answer (see the module docstring)."""
    try:
        form.save(**options)  # logs a mail server's failure itself (django.contrib.auth)
    except Exception:  # the lookup's: nobody waits for this thread, so say it in the log
        logger.exception("password reset: the account lookup failed")
    finally:
        connections.close_all()  # this thread's own connections


def _over_the_limits(request: HttpRequest, email: str) -> bool:
    """Count this request for its client and its email address; True past either limit.
    The counts are in the database (httpauth.limits): no cache flush resets them. A request
    already past a limit is refused before it is counted, so refusals write nothing: a client
    that keeps asking costs reads, not writes."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    keys = (
        f"{COUNTER_PREFIX}address.{client_key(request)}",  # an IPv6 client: its /64
        f"{COUNTER_PREFIX}email.{digest}",
    )
    limit, window = app_settings.PASSWORD_RESET_LIMIT, app_settings.PASSWORD_RESET_WINDOW
    if any(limits.current(key)[0] >= limit for key in keys):
        return True
    # Requests counted at the same moment may each pass the check above: the count decides.
    return any(limits.count(key, window)[0] > limit for key in keys)


def too_many_requests(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "registration/password_reset_limited.html",
        {"minutes": app_settings.PASSWORD_RESET_WINDOW // 60},
        status=429,
    )
    response["Retry-After"] = str(app_settings.PASSWORD_RESET_WINDOW)
    add_never_cache_headers(response)
    return response


def unavailable(request: HttpRequest) -> HttpResponse:
    response = render(request, "registration/password_reset_unavailable.html", status=503)
    add_never_cache_headers(response)
    return response
