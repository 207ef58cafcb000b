"""``piiri doctor``: the checks tell the truth, and failures come with what to do."""

from __future__ import annotations

import socket
import threading
import urllib.request

from facilitator.live.doctor import address_check, port_check, wait_for_device


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_device_opening_the_test_page_is_reported() -> None:
    port = free_port()
    ready = threading.Event()
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(
        wait_for_device("en", port, 10, host="127.0.0.1", announce=ready)))
    worker.start()
    assert ready.wait(5)
    body = urllib.request.urlopen(f"http://127.0.0.1:{port}{ready.path}", timeout=5).read()
    worker.join(15)
    check, _ = result[0]
    assert "connection works" in body.decode()
    assert check.ok and "127.0.0.1" in check.text


def test_nobody_reaching_the_laptop_gives_plain_advice() -> None:
    check, _ = wait_for_device("fi", free_port(), 0.5, host="127.0.0.1")
    assert not check.ok
    assert "hotspot" in check.text and "palomuuri" in check.text


def test_a_wrong_guess_at_the_test_page_does_not_count() -> None:
    port = free_port()
    ready = threading.Event()
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(
        wait_for_device("en", port, 1.5, host="127.0.0.1", announce=ready)))
    worker.start()
    assert ready.wait(5)
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/doctor/guess", timeout=5)
    except urllib.error.HTTPError as error:
        assert error.code == 404
    worker.join(5)
    assert not result[0][0].ok


def test_busy_port_is_reported() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        check = port_check("sv", port, host="127.0.0.1")
    assert not check.ok and str(port) in check.text


def test_address_checks_name_the_url_or_the_problem() -> None:
    ok, url = address_check("en", 5000, "192.168.1.20")
    assert ok.ok and url == "http://192.168.1.20:5000"
    lonely, _ = address_check("en", 5000, "127.0.0.1")
    assert not lonely.ok and "hotspot" in lonely.text
    public, _ = address_check("en", 5000, "8.8.4.4")
    assert not public.ok
