"""The spellings of a secret that still open something, or are one unescaping away from it:
what every log must mask (SECURITY.md, third review, #8).

Django decodes the path before it matches URLs, so a reset link or a secret feed address with
any character percent-escaped works as well as the plain one; escaped twice (``%25``) it opens
nothing, but anyone can decode it by hand. Sent raw (``requests`` would unescape them).
"""

RESET_URL = """
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
user = get_user_model().objects.get(username="%s")
uid = urlsafe_base64_encode(force_bytes(user.pk))
print(f"/accounts/reset/{uid}/{default_token_generator.make_token(user)}/")
"""


def reset_path(site, username="bob"):
    """A working password reset link of ``username`` on ``site``, as a path."""
    return site.manage("shell", "--no-imports", "-c", RESET_URL % username).stdout.strip()


def escaped(character):
    return f"%{ord(character):02X}"


def spellings(address_path, reset):
    """``{raw path: the status the site answers}`` for a secret address's path and a reset
    link: each escaped every way the review found logged in clear."""
    _, _, _, uid, token, _ = reset.split("/")
    timestamp, digest = token.split("-")
    secret = address_path.split("/")[3]
    return {
        reset.replace(f"{timestamp}-", f"{timestamp}%2D"): 302,
        reset.replace(f"{timestamp}-", f"{timestamp}%2d"): 302,
        reset.replace(f"-{digest}", f"-{escaped(digest[0])}{digest[1:]}"): 302,  # a hex digit
        reset.replace("/reset/", f"/{escaped('r')}eset/"): 302,
        reset.replace(f"/{uid}/", f"/{escaped(uid[0])}{uid[1:]}/"): 302,
        reset.replace(f"{timestamp}-", f"{timestamp}%252D"): 200,  # escaped twice: "invalid"
        address_path.replace("/feed_", "/feed%255F"): 404,  # escaped twice
        f"/?a={secret}&b={secret}&c={secret}&d={secret}": 200,  # more than any fixed count
    }


def fragments(address_path, reset):
    """What no log line may hold: the secret's characters and the token's, whole or in part."""
    secret = address_path.split("/")[3]
    digest = reset.split("/")[4].split("-")[1]
    return [secret[5:], secret[5:25], digest, digest[:20], digest[1:21]]
