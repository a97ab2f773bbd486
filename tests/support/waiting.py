"""The one way the suite waits for what another process does: a log line, a file, an email,
a daemon's state, a service coming back.

Another process writes when the machine lets it: gunicorn writes a request's access line
after the response has left, and a busy machine (CI beside other work) can delay that by
seconds. So nothing another process writes is read once: ``wait_for`` reads it again until
it holds, and fails with what it last read once the deadline has passed.
"""

import re
import time

#: Long enough for a busy machine, short enough that a real failure is reported promptly.
SECONDS = 20
INTERVAL = 0.05


def wait_for(read, until=bool, *, seconds=SECONDS, what=None):
    """Call ``read()`` until ``until(value)`` is true; return that value.

    ``what`` names the condition in the failure (default: ``read``'s name). Exceptions from
    ``read`` propagate: a process that died is a failure, not something to wait out.
    """
    deadline = time.monotonic() + seconds
    while True:
        value = read()
        if until(value):
            return value
        if time.monotonic() > deadline:
            name = what or getattr(read, "__name__", "the condition")
            raise AssertionError(f"{name}: not there after {seconds} s; last read {value!r:.300}")
        time.sleep(INTERVAL)


def wait_for_matches(read_text, pattern, *, at_least=1):
    """The matches of ``pattern`` in ``read_text()`` (a log, say), once ``at_least`` are there."""
    return wait_for(
        lambda: re.findall(pattern, read_text()),
        lambda found: len(found) >= at_least,
        what=f"{at_least} lines matching {pattern!r}",
    )
