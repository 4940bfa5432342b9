"""presend never opens a network connection while linting: not from Python (a socket
fixture fails the test) and not from libxml2 (a local server would see the connection)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import main


@pytest.fixture
def listener() -> Iterator[tuple[int, list[str]]]:
    """A local TCP server started before the sockets are guarded: (port, connections)."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    seen: list[str] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            seen.append("connected")
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join(timeout=2)
    server.close()


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Any Python-level connection attempt is recorded and refused."""
    attempts: list[str] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(repr(args[:2]))
        raise OSError("network access during a lint")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_linting_references_to_a_live_server_opens_no_socket(
    tmp_path: Path, listener: tuple[int, list[str]], no_sockets: list[str]
) -> None:
    port, connections = listener
    url = f"http://127.0.0.1:{port}"
    page = tmp_path / "remote.html"
    page.write_text(
        f'<?xml version="1.0" encoding="utf-8"?>\n'
        f'<!DOCTYPE html SYSTEM "{url}/x.dtd" [<!ENTITY e SYSTEM "{url}/e">]>\n'
        f'<html lang="en"><head><title>x</title><link rel="stylesheet" href="{url}/s.css">'
        f"<style>@import url({url}/i.css); p {{ background: url({url}/b.png) }}</style></head>"
        f'<body><p>&e;</p><img src="{url}/p.gif" alt=""><a href="{url}/l">link</a>'
        f'<iframe src="{url}/f"></iframe></body></html>\n',
        encoding="utf-8",
    )
    contacts = tmp_path / "c.csv"
    contacts.write_text("email,consent\nuser@example.com,yes\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(page), str(contacts)])
    assert result.exit_code == 1, result.output
    assert "remote.html" in result.output
    assert no_sockets == []
    assert connections == []
