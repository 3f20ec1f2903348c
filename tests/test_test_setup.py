"""The test run's own rules: a fixed clock and no network beyond this machine."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from django.utils import timezone
from pytest_socket import SocketConnectBlockedError

from tests.clock import FIXED_NOW

IMPORTED_AT = timezone.now()


def test_the_clock_is_fixed_for_every_test_and_at_import_time() -> None:
    assert abs(timezone.now() - FIXED_NOW) < dt.timedelta(minutes=30)
    assert abs(IMPORTED_AT - FIXED_NOW) < dt.timedelta(minutes=30)
    assert timezone.localdate() == dt.date(2026, 12, 4)


def test_a_connection_beyond_the_allowed_hosts_is_refused() -> None:
    # 127.0.0.2 is loopback too, so nothing would leave the machine even if the guard failed; it is
    # simply not on the allowed list.
    with (
        pytest.warns(UserWarning, match="tried to use socket"),
        pytest.raises(SocketConnectBlockedError),
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock,
    ):
        sock.connect(("127.0.0.2", 9))
