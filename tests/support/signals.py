"""Catching what an app signals, for the tests of its signals."""

import contextlib


@contextlib.contextmanager
def caught(signal):
    """Yield the list of the keyword arguments of each ``signal`` sent meanwhile."""
    sent = []

    def receiver(sender, signal, **kwargs):
        sent.append(kwargs)

    signal.connect(receiver)
    try:
        yield sent
    finally:
        signal.disconnect(receiver)
