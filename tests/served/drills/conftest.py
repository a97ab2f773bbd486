"""Fault drills: the design's claims, tried under load against real servers.

Each drill prints its figures (requests, statuses, users signed out, sessions kept) through
``figures``, which writes past pytest's capture so CI logs show them.
"""

import pytest


@pytest.fixture
def figures(capsys, request):
    def say(*lines):
        with capsys.disabled():
            print(f"\n[{request.node.name}]")
            for line in lines:
                print(f"  {line}")

    return say
