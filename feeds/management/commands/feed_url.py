"""Print a new secret feed address for a user, or revoke their addresses of a name."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from feeds.catalog import FORMATS
from feeds.conf import app_settings
from feeds.models import SecretAddress
from feeds.secret_addresses import private_feeds, secret_paths

DEFAULT_NAME = "manage.py feed_url"


class Command(BaseCommand):
    help = (
        "Print a new secret address of a private feed for USERNAME (its RSS address; "
        "--format atom or json for the others), or revoke USERNAME's addresses named "
        "--revoke NAME. The address is absolute when FEEDS_SITE_URL (DJANGO_SITE_URL) or "
        "--site-url gives the origin."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--feed", choices=[value for value, _ in SecretAddress.FEEDS])
        parser.add_argument("--name", default=DEFAULT_NAME, help="After the reader that uses it.")
        parser.add_argument("--format", choices=list(FORMATS), default="rss", dest="fmt")
        parser.add_argument("--site-url", help="The origin, such as https://example.com.")
        parser.add_argument("--revoke", metavar="NAME", help="Revoke the addresses so named.")

    def handle(self, *args, username, feed, name, fmt, site_url, revoke, **options):
        user = self._user(username)
        if revoke is not None:
            addresses = SecretAddress.objects.filter(user=user, name=revoke)
            if feed:
                addresses = addresses.filter(feed=feed)
            revoked = addresses.delete()[0]
            if not revoked:
                raise CommandError(f"{username} has no secret address named {revoke!r}.")
            self.stdout.write(f"Revoked {revoked} secret address{'es' if revoked > 1 else ''}.")
            return
        if not app_settings.SECRET_ADDRESSES:
            raise CommandError("Secret feed addresses are turned off (FEEDS_SECRET_ADDRESSES).")
        if feed is None:
            raise CommandError("Say which feed: --feed members or --feed staff.")
        if not user.is_active:
            raise CommandError(f"{username} is not active.")
        if feed not in dict(private_feeds(user)):
            raise CommandError(f"{username} may not read the {feed} feed.")
        address, secret = SecretAddress.issue(user, feed, name)
        path = secret_paths(address.feed, secret)[fmt]
        origin = (site_url or app_settings.SITE_URL or "").rstrip("/")
        if not origin:
            self.stderr.write("No FEEDS_SITE_URL or --site-url: printing the path only.")
        self.stdout.write(origin + path)

    def _user(self, username):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.get_by_natural_key(username)
        except user_model.DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None
        return user
