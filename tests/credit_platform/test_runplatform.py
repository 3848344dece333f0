"""`make run` must never claim the platform is running when it is not (an operator's supervisor reads the exit code)."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from credit_platform.management.commands.runplatform import port_is_free, split_addr


@pytest.fixture
def busy_port():
    """A port on loopback that something is already listening on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        yield sock.getsockname()[1]


def test_a_busy_port_is_refused_before_anything_starts(busy_port):
    with pytest.raises(CommandError, match=f"{busy_port}.*已被占用"):
        call_command("runplatform", addr=f"127.0.0.1:{busy_port}")


def test_a_busy_port_exits_non_zero_from_the_shell(busy_port):
    done = subprocess.run(
        [sys.executable, "manage.py", "runplatform", "--addr", f"127.0.0.1:{busy_port}"],
        cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode != 0
    assert "already in use" in done.stderr
    assert "the platform is running" not in done.stdout


def test_a_free_port_is_free_and_a_listening_one_is_not(busy_port):
    assert not port_is_free("127.0.0.1", busy_port)
    assert not port_is_free("0.0.0.0", busy_port)  # a wildcard address is probed on loopback
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        free = sock.getsockname()[1]
    assert port_is_free("127.0.0.1", free)


@pytest.mark.parametrize(
    "addr, expected",
    [("8080", ("127.0.0.1", 8080)), ("0.0.0.0:9000", ("0.0.0.0", 9000)), ("[::1]:8001", ("::1", 8001))],
)
def test_addresses_are_read_as_runserver_reads_them(addr, expected):
    assert split_addr(addr) == expected


def test_a_malformed_address_is_a_clear_error():
    with pytest.raises(CommandError, match="host:port"):
        split_addr("localhost:http")
