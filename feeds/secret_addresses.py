"""/account/feed-addresses/: create, list and revoke secret feed addresses (SecretAddress),
for feed readers that cannot send a username and password."""

from functools import wraps
from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from feeds import reader_use
from feeds.catalog import FORMAT_NAMES, FORMATS, KINDS
from feeds.conf import app_settings
from feeds.models import SecretAddress
from feeds.syndication import site_origin
from httpauth.reauthentication import ConfirmPasswordForm


def secret_paths(feed, secret):
    """The paths, by format, that ``secret`` opens: those of its one feed."""
    [kind] = [kind for kind in KINDS if kind.audience == feed]
    return {
        fmt: reverse(f"feed-{kind.slug}-{fmt}-secret", kwargs={"secret": secret}) for fmt in FORMATS
    }


def private_feeds(user):
    """``(audience, title)`` of the private feeds ``user`` may read: what an address may open."""
    return [
        (kind.audience, kind.title)
        for kind in KINDS
        if not kind.is_public and kind.readable_by(user)
    ]


class SecretAddressForm(ConfirmPasswordForm, forms.ModelForm):
    """The feed and name of a new secret address, and the account password unless it was
    entered within the re-authentication window (httpauth.reauthentication)."""

    class Meta:
        model = SecretAddress
        fields = ["feed", "name"]
        labels = {"name": "Name it after the reader that will use it"}

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        cast(forms.ChoiceField, self.fields["feed"]).choices = private_feeds(request.user)


def _enabled(view):
    """404 while FEEDS_SECRET_ADDRESSES is off."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not app_settings.SECRET_ADDRESSES:
            raise Http404("Secret feed addresses are turned off.")
        return view(request, *args, **kwargs)

    return wrapper


@login_required
@_enabled
def address_list(request):
    form = SecretAddressForm(request.POST or None, request=request)
    created = None
    if request.method == "POST" and form.is_valid():
        address, secret = SecretAddress.issue(
            request.user, form.cleaned_data["feed"], form.cleaned_data["name"]
        )
        urls = [
            (fmt, FORMAT_NAMES[fmt], site_origin(request) + path)
            for fmt, path in secret_paths(address.feed, secret).items()
        ]
        created = {"address": address, "urls": urls}
        form = SecretAddressForm(request=request)
    addresses = list(request.user.feed_addresses.all())
    uses = reader_use.described(addresses) if addresses else {}
    for address in addresses:
        address.use = uses[address.pk]
    response = render(
        request,
        "feeds/secret_addresses.html",
        {"form": form, "created": created, "addresses": addresses},
    )
    if created:
        add_never_cache_headers(response)  # the secret is shown once, and kept nowhere
    return response


@login_required
@_enabled
@require_POST
def address_revoke(request, pk):
    address = get_object_or_404(SecretAddress, pk=pk, user=request.user)
    address.delete()
    messages.success(request, f"“{address.name}” is revoked: its address now answers 404.")
    return redirect("feed-addresses")
