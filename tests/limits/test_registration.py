"""limits registers itself with chat through two lists; installed, it refuses to start with
either one leaving it out (a limit is switched off by its setting, never by a missing line)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from limits.apps import check_registered


def test_the_default_lists_hold_what_limits_registers():
    check_registered()


@pytest.mark.parametrize(
    "setting, value, missing",
    [
        ("SMOOTH_TURN_STAGES", ["handoff.stages.Handoff", "limits.stages.Budgets", "knowledge.stages.Context"], "limits.stages.Rates"),
        ("SMOOTH_SOCKET_MIDDLEWARE", [], "limits.admission.Admission"),
    ],
)
def test_a_list_that_leaves_limits_out_stops_start_up(settings, setting, value, missing):
    setattr(settings, setting, value)
    with pytest.raises(ImproperlyConfigured, match=f"{setting} leaves out {missing}"):
        check_registered()
