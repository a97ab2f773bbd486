"""What a user's feed readers use, which a new password revokes (httpauth.receivers): app
passwords, and secret feed addresses while the feeds app is installed. Named by the user's
related names; each receiver notes ``revoked_<name>`` on the user it revoked them for."""

KINDS = {
    "app_passwords": ("app password", "app passwords"),
    "feed_addresses": ("secret feed address", "secret feed addresses"),
}


def held(user):
    """How many of each ``user`` holds."""
    return {name: getattr(user, name).count() for name in KINDS if hasattr(user, name)}


def just_revoked(user):
    """How many of each the password of ``user``, just saved, revoked."""
    return {name: getattr(user, f"revoked_{name}", 0) for name in KINDS}


def in_words(counts):
    """``{"app_passwords": 2, "feed_addresses": 1}`` as "2 app passwords, 1 secret feed
    address"; "" when every count is 0."""
    return ", ".join(
        f"{number} {KINDS[name][0] if number == 1 else KINDS[name][1]}"
        for name, number in counts.items()
        if number
    )
