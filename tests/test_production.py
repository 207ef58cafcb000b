"""The production path: gunicorn with a gevent worker serves pages and WebSockets."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from websockets.sync.client import connect

from facilitator.app import create_app

from .accounts import PASSWORD, make_user


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_gunicorn_gevent_worker_serves_a_table(tmp_path: Path) -> None:
    port = free_port()
    database = str(tmp_path / "p.sqlite3")
    app = create_app({"DATABASE": database, "TICKS": False, "SECRET_KEY": "s"})
    make_user(app)
    app.extensions["piiri.store"].close()
    env = {**os.environ, "PIIRI_DATABASE": database, "PIIRI_SECRET_KEY": "production-secret",
           "PIIRI_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    proc = subprocess.Popen([str(gunicorn), "-k", "gevent", "-w", "1", "-b",
                             f"127.0.0.1:{port}", "--no-control-socket",
                             "facilitator.wsgi:app"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        for _ in range(100):
            try:
                page = opener.open(f"{base}/login", timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.1)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        opener.open(urllib.request.Request(f"{base}/login", data=urlencode({
            "email": "leader@a.example", "password": PASSWORD, "csrf_token": token}).encode()),
            timeout=5)
        made = opener.open(urllib.request.Request(f"{base}/panel/tables", data=urlencode({
            "game": "circle", "csrf_token": token}).encode()), timeout=5)
        code = made.geturl().rsplit("/", 1)[1]
        page = urllib.request.urlopen(f"{base}/j/{code}", timeout=5)
        assert page.headers["Cache-Control"] == "no-store"
        with connect(f"ws://127.0.0.1:{port}/ws", open_timeout=5) as ws:
            ws.send(json.dumps({"t": "hello", "v": 1, "role": "seat", "room": code}))
            assert json.loads(ws.recv(timeout=5))["t"] == "welcome"
            ws.send(json.dumps({"t": "join", "nickname": "Aino",
                                "avatar": {"icon": "sun", "colour": "#E69F00"}}))
            kinds = [json.loads(ws.recv(timeout=5))["t"] for _ in range(2)]
            assert kinds == ["seated", "controls"]
    finally:
        proc.terminate()
        proc.wait(10)
