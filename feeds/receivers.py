"""Secret feed addresses follow the account password, as app passwords do (httpauth.receivers):
a password set anywhere but in the user's own change that keeps them revokes them. Connected
in ``FeedsConfig.ready()``."""

from feeds.models import SecretAddress
from httpauth.receivers import reader_access_to_revoke


def revoke_on_password_set(sender, instance, created, **kwargs):
    if reader_access_to_revoke(instance, created):
        instance.revoked_feed_addresses = SecretAddress.objects.filter(user=instance).delete()[0]
