"""Smooth without handoff and limits (and the admin API, which manages both): chat alone
must still serve turns (tests/e2e/test_without_handoff.py)."""

from smooth.settings import *  # noqa: F403
from smooth.settings import INSTALLED_APPS

INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in ("handoff", "limits", "adminapi")]
