"""Which address tablets on the same network can reach this laptop at."""

from __future__ import annotations

import ipaddress
import socket

__all__ = ["lan_address"]


def lan_address() -> str:
    """The laptop's address on its local network, or 127.0.0.1 when it has none.

    Asks the operating system which local address it would use for outgoing traffic; a UDP
    socket's ``connect`` only chooses a route and sends no packet.
    """
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed, nothing is sent
            address = str(probe.getsockname()[0])
    except OSError:
        return "127.0.0.1"
    if ipaddress.ip_address(address).is_unspecified:
        return "127.0.0.1"
    return address
