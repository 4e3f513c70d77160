"""A tiny check runner shared by the Python client flows.

Each flow is a function registered with ``@check("name")``; ``run_checks()`` runs them
in order, prints ``ok``/``FAIL`` per flow with the reason, then the closing line
``N passed, M failed``, and exits 1 when any flow failed.

``record(name, value)`` keeps what a flow was answered; when GATECHECK_ANSWERS names a
file, ``run_checks()`` writes the records there as canonical JSON (sorted keys), so
that ``run`` can compare what two clients of one gateway were told.
"""

import json
import os
import sys
import traceback

_CHECKS = []
_ANSWERS = {}


def check(name):
    """Registers a flow under ``name``."""

    def register(fn):
        _CHECKS.append((name, fn))
        return fn

    return register


def expect(condition, message):
    """Fails the running flow with ``message`` unless ``condition`` holds."""
    if not condition:
        raise AssertionError(message)


def equal(actual, expected, what):
    """Fails the running flow unless ``actual == expected``."""
    if actual != expected:
        raise AssertionError("%s: expected %r, got %r" % (what, expected, actual))


def record(name, value):
    """Keeps ``value`` (plain JSON data) as the answer ``name``, for comparing clients."""
    _ANSWERS[name] = value


def base_url():
    """The gateway under test, from GATECHECK_URL (``http://127.0.0.1:PORT``)."""
    url = os.environ.get("GATECHECK_URL")
    if not url:
        sys.exit("GATECHECK_URL is not set: run this through tests/clients/run")
    return url


def run_checks(label):
    """Runs every registered flow and exits 1 when one failed."""
    passed = failed = 0
    for name, fn in _CHECKS:
        try:
            fn()
        except Exception as e:  # a flow fails on anything it did not expect
            failed += 1
            print("FAIL %s: %s: %s" % (label, name, e))
            traceback.print_exc(limit=4, file=sys.stdout)
        else:
            passed += 1
            print("ok   %s: %s" % (label, name))
    print("%s: %d passed, %d failed" % (label, passed, failed))
    answers = os.environ.get("GATECHECK_ANSWERS")
    if answers:
        with open(answers, "w", encoding="utf-8") as f:
            f.write(json.dumps(_ANSWERS, sort_keys=True, indent=1, ensure_ascii=False) + "\n")
    sys.exit(1 if failed else 0)
