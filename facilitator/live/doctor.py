"""``piiri doctor``: what breaks sessions at the door, found before the group arrives.

It checks which address the QR code will carry, whether the port is free, and then — the one
check that tells the truth — waits for a phone on the same Wi-Fi to open a test page. If no
device gets through, it says in plain words what to try.
"""

from __future__ import annotations

import ipaddress
import secrets
import socket
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .network import lan_address

__all__ = ["Check", "address_check", "port_check", "wait_for_device", "words"]

_WORDS: dict[str, dict[str, str]] = {
    "no_network": {
        "fi": "Kone ei ole verkossa. Yhdistä Wi-Fi-verkkoon tai puhelimen hotspotiin.",
        "sv": "Datorn är inte ansluten. Anslut till ett wifi eller till telefonens hotspot.",
        "en": "This laptop is not on a network. Connect to Wi-Fi or to a phone's hotspot.",
    },
    "address": {
        "fi": "QR-koodi vie osoitteeseen {url}",
        "sv": "QR-koden leder till {url}",
        "en": "The QR code will carry {url}",
    },
    "public_address": {
        "fi": "Osoite {address} ei ole lähiverkon osoite. Tabletit eivät ehkä löydä konetta.",
        "sv": "Adressen {address} är inte en adress i det lokala nätet. Surfplattorna kanske "
              "inte hittar datorn.",
        "en": "{address} is not a local network address. Tablets may not find this laptop.",
    },
    "port_busy": {
        "fi": "Portti {port} on jo käytössä. Sulje toinen Piiri tai käytä valintaa --port.",
        "sv": "Port {port} används redan. Stäng den andra Piiri eller använd --port.",
        "en": "Port {port} is already in use. Close the other Piiri or use --port.",
    },
    "port_ok": {
        "fi": "Portti {port} on vapaa.",
        "sv": "Port {port} är ledig.",
        "en": "Port {port} is free.",
    },
    "open_on_phone": {
        "fi": "Avaa tämä osoite puhelimella, joka on samassa Wi-Fissä (tai skannaa koodi):",
        "sv": "Öppna den här adressen med en telefon i samma wifi (eller skanna koden):",
        "en": "Open this address on a phone on the same Wi-Fi (or scan the code):",
    },
    "reached": {
        "fi": "Laite tavoitti tämän koneen ({client}). Tabletit voivat liittyä.",
        "sv": "En enhet nådde datorn ({client}). Surfplattorna kan ansluta.",
        "en": "A device reached this laptop ({client}). Tablets can join.",
    },
    "not_reached": {
        "fi": "Mikään laite ei tavoittanut konetta. Kokeile näitä:\n"
              "  1. Jos kone kysyi palomuurista, salli Piiri yksityisissä verkoissa.\n"
              "  2. Vieras-Wi-Fi estää usein laitteita näkemästä toisiaan: käytä puhelimen "
              "hotspotia.\n"
              "  3. Tai käytä organisaatiosi Piiri-palvelinta.",
        "sv": "Ingen enhet nådde datorn. Prova det här:\n"
              "  1. Om datorn frågade om brandväggen: tillåt Piiri i privata nätverk.\n"
              "  2. Gäst-wifi hindrar ofta enheter från att se varandra: använd telefonens "
              "hotspot.\n"
              "  3. Eller använd organisationens Piiri-server.",
        "en": "No device reached this laptop. Try these:\n"
              "  1. If the laptop asked about its firewall, allow Piiri on private networks.\n"
              "  2. Guest Wi-Fi often keeps devices from seeing each other: use a phone's "
              "hotspot.\n"
              "  3. Or use your organisation's Piiri server.",
    },
    "page": {
        "fi": "Yhteys toimii! Voit sulkea tämän sivun.",
        "sv": "Anslutningen fungerar! Du kan stänga sidan.",
        "en": "The connection works! You can close this page.",
    },
}


def words(key: str, lang: str, **params: object) -> str:
    table = _WORDS[key]
    return table.get(lang, table["en"]).format(**params)


@dataclass(frozen=True)
class Check:
    ok: bool
    text: str


def address_check(lang: str, port: int, address: str | None = None) -> tuple[Check, str]:
    """Which address the QR code will carry, and whether tablets can plausibly use it."""
    address = address or lan_address()
    url = f"http://{address}:{port}"
    ip = ipaddress.ip_address(address)
    if ip.is_loopback:
        return Check(False, words("no_network", lang)), url
    if not ip.is_private:
        return Check(False, words("public_address", lang, address=address)), url
    return Check(True, words("address", lang, url=url)), url


def port_check(lang: str, port: int, host: str = "0.0.0.0") -> Check:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return Check(False, words("port_busy", lang, port=port))
    return Check(True, words("port_ok", lang, port=port))


def wait_for_device(lang: str, port: int, seconds: float, host: str = "0.0.0.0",
                    announce: threading.Event | None = None) -> tuple[Check, str]:
    """Serve a one-off test page at ``/doctor/<code>`` and wait for a device to open it.

    Returns the check and the path served. ``announce`` is set once the page is listening.
    """
    code = secrets.token_urlsafe(4)
    path = f"/doctor/{code}"
    reached: list[str] = []
    done = threading.Event()
    page = words("page", lang).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path != path:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)
            reached.append(self.client_address[0])
            done.set()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((host, port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        if announce is not None:
            announce.path = path  # type: ignore[attr-defined]
            announce.set()
        done.wait(seconds)
    finally:
        server.shutdown()
        server.server_close()
    if reached:
        return Check(True, words("reached", lang, client=reached[0])), path
    return Check(False, words("not_reached", lang)), path
