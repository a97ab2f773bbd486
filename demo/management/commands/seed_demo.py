"""Create the demo users and entries, idempotently; ``--remove`` takes them away again."""

import base64
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from feeds.models import VIEW_PERMISSION, Entry, Visibility
from project.env import EnvError, env_bool, env_str

# username -> (description, is_staff)
DEMO_USERS = {
    "alice": ("a member", False),
    "bob": ("staff", True),
    "carol": ("a member with an authenticator app", False),
}
# carol's authenticator app's key, in base32 as authenticator apps take it. It is public
# (docs/demo.md prints it), as the demo password is: carol shows the second factor, and
# protects nothing.
CAROLS_TOTP_KEY = "DEMOCAROLTOTPKEYPRINTEDINDOCS234"
# What bob may do: read the staff feed, and flush the objects cluster to show that nobody is
# signed out by it (/status/).
BOBS_PERMISSIONS = (VIEW_PERMISSION, "ops.flush_objects")
DEMO_SLUG_PREFIX = "demo-"
# Thirty entries, newest first, mixed the way a real site's are: P public, M members,
# S staff, D a public draft (17, 8, 3 and 2 of them).
DEMO_PATTERN = "PMPPSPMPDPMPPMPSPMPPMPDPPMPSPM"
# letter -> (visibility, author, draft?)
DEMO_KINDS = {
    "P": (Visibility.PUBLIC, "bob", False),
    "M": (Visibility.MEMBERS, "alice", False),
    "S": (Visibility.STAFF, "bob", False),
    "D": (Visibility.PUBLIC, "bob", True),
}
TOPICS = [
    "Sessions that survive a cache flush",
    "Why sessions get a memcached of their own",
    "Reading private feeds with an app password",
    "What a 304 saves a feed reader",
    "Consistent hashing in one picture",
    "Signing out everywhere",
]


def demo_body(number, visibility):
    return (
        f"Demo entry number {number}, readable by **{visibility}** readers.\n\n"
        "This site keeps sessions in one memcached cluster and cached objects in another: "
        "see [the status page](/status/) for both, and [the feeds](/feeds/) for this entry "
        "in your reader.\n\n"
        "- sessions: `sessions_backend`\n- feeds for readers: `httpauth`\n"
    )


class Command(BaseCommand):
    help = (
        "Create the demo users alice (a member), bob (staff, may read the staff feed and "
        "flush the objects cluster) and carol (a member with an authenticator app), and about "
        "30 demo entries across the visibilities. "
        "Passwords come from DEMO_PASSWORD, or are generated and printed once. What exists is "
        "left as it is."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument(
            "--remove", action="store_true", help="Delete the demo entries and users instead."
        )
        action.add_argument(
            "--if-enabled",
            action="store_true",
            help="Do nothing when the environment variable SEED_DEMO is false (it defaults to "
            "true): what `docker compose up` runs on every start.",
        )

    def handle(self, *args, remove, if_enabled, **options):
        if remove:
            self.remove_demo_data()
            return
        if if_enabled and not self.enabled():
            self.stdout.write("SEED_DEMO is false: no demo data created.")
            return
        with transaction.atomic():
            users = {
                username: self.create_user(username, description, is_staff=is_staff)
                for username, (description, is_staff) in DEMO_USERS.items()
            }
            users["bob"].user_permissions.add(
                *(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                    for app_label, codename in (p.split(".") for p in BOBS_PERMISSIONS)
                )
            )
            self.give_authenticator(users["carol"])
            self.create_entries(users)

    def enabled(self):
        try:
            return env_bool("SEED_DEMO", True)
        except EnvError as exc:
            raise CommandError(f"Configuration error: {exc}") from None

    def create_user(self, username, description, *, is_staff):
        User = get_user_model()
        existing = User.objects.filter(username=username).first()
        if existing is not None:
            self.stdout.write(f"{username} ({description}) exists; left unchanged.")
            return existing
        given = env_str("DEMO_PASSWORD")
        password = given or secrets.token_urlsafe(12)
        user = User.objects.create_user(
            username=username,
            email=f"{username}@example.com",
            password=password,
            is_staff=is_staff,
        )
        if given:
            self.stdout.write(f"Created {username} ({description}) with DEMO_PASSWORD.")
        else:
            self.stdout.write(
                f"Created {username} ({description}) with password {password} "
                f"(shown once; change it with: manage.py changepassword {username})"
            )
        return user

    def give_authenticator(self, user):
        if TOTPDevice.objects.filter(user=user).exists():
            return
        key = base64.b32decode(CAROLS_TOTP_KEY).hex()
        TOTPDevice.objects.create(user=user, name="Demo authenticator", key=key, confirmed=True)
        self.stdout.write(
            f"carol signs in with a code from an authenticator app given the key "
            f"{CAROLS_TOTP_KEY} (docs/demo.md)."
        )

    def create_entries(self, users):
        now = timezone.now()
        created = 0
        for number, letter in enumerate(DEMO_PATTERN, start=1):
            visibility, author, draft = DEMO_KINDS[letter]
            _entry, is_new = Entry.objects.get_or_create(
                slug=f"{DEMO_SLUG_PREFIX}{number:02d}",
                defaults={
                    "title": f"{TOPICS[number % len(TOPICS)]} ({number})",
                    "body": demo_body(number, visibility.label.lower()),
                    "author": users[author],
                    "visibility": visibility,
                    "published_at": None if draft else now - timedelta(hours=7 * number),
                },
            )
            created += is_new
        existing = len(DEMO_PATTERN) - created
        self.stdout.write(f"Demo entries: {created} created, {existing} already there.")

    def remove_demo_data(self):
        entries = Entry.objects.filter(slug__startswith=DEMO_SLUG_PREFIX)
        users = get_user_model().objects.filter(username__in=DEMO_USERS)
        counts = entries.count(), users.count()
        with transaction.atomic():
            entries.delete()  # first: an entry protects its author
            users.delete()
        self.stdout.write(f"Removed the demo data: {counts[0]} entries, {counts[1]} users.")
