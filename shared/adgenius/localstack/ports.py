"""Ports: free ones chosen at start, and a clear error when a requested one is taken."""

from __future__ import annotations

import socket

from adgenius.localstack.errors import StackError


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def claim_port(requested: int | None, component: str) -> int:
    """The requested port if it is free (else a StackError naming it), or a free one."""
    if requested is None:
        return free_port()
    if not port_is_free(requested):
        raise StackError(
            f"port {requested} for {component} is already taken by another process; "
            f"stop that process or choose another port"
        )
    return requested


def port_open(host: str, port: int, timeout: float = 0.2) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False
