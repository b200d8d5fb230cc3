"""Real headless Chromium for the report tests: its command line, and a DevTools session over a pipe.

``--remote-debugging-pipe`` makes Chromium read DevTools commands from fd 3 and
write replies and events to fd 4, each a JSON object ended by a NUL byte: the
stdlib is enough to drive it, no websocket client and no browser download.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import select
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
         "--disable-extensions", "--disable-background-networking", "--disable-sync", "--hide-scrollbars",
         "--mute-audio", "--disable-component-update")  # fmt: skip
READ_TIMEOUT = 90  # seconds; a loaded shared machine can be slow, a hung browser must not hang the tests


def binary() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def run(args: list[str], profile: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    """One headless Chromium run (e.g. --dump-dom URL) with a profile of its own."""
    return subprocess.run([binary(), *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True,
                          text=True, timeout=timeout, check=False)  # fmt: skip


@dataclass
class PageLoad:
    """What one page load did: every request it made, every console or log error, and the DOM answers."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)
    screenshot: bytes = b""


class DevTools:
    """A Chromium driven over --remote-debugging-pipe."""

    def __init__(self, profile: Path, width: int = 1000, height: int = 800):
        commands_r, self._commands = os.pipe()  # we write commands, Chromium reads fd 3
        self._replies, replies_w = os.pipe()  # Chromium writes fd 4, we read

        def child_fds() -> None:
            os.dup2(commands_r, 3)
            os.dup2(replies_w, 4)

        self.proc = subprocess.Popen(
            [binary(), *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
             "--remote-debugging-pipe", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=child_fds,
            close_fds=False,  # closing would happen after child_fds and take fds 3 and 4 too
        )  # fmt: skip
        os.close(commands_r)
        os.close(replies_w)
        self._ids = itertools.count(1)
        self._buffer = b""
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Send one command and wait for its reply (events that arrive meanwhile are kept)."""
        message: dict[str, Any] = {"id": next(self._ids), "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == message["id"]:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str) -> dict:
        for i, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(i)
        while True:
            event = self._read()
            if event.get("method") == method:
                return event
            self.events.append(event)

    def _read(self) -> dict:
        while b"\0" not in self._buffer:
            if not select.select([self._replies], [], [], READ_TIMEOUT)[0]:
                raise RuntimeError(f"chromium sent nothing for {READ_TIMEOUT} s")
            chunk = os.read(self._replies, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def load(self, url: str, queries: dict[str, str], width: int = 1000) -> PageLoad:
        """Open ``url`` in a new tab, wait for it to load, evaluate ``queries`` (name -> JS) and screenshot it."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=session)
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": False}, session)  # fmt: skip
        self.events.clear()
        self.send("Page.navigate", {"url": url}, session)
        self.wait_for("Page.loadEventFired")
        result = PageLoad()
        for name, expression in queries.items():
            value = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)
            result.answers[name] = value["result"].get("value")
        shot = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session)
        result.screenshot = base64.b64decode(shot["data"])
        self.send("Runtime.evaluate", {"expression": "1"}, session)  # let late events arrive before reading them
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Network.requestWillBeSent":
                result.requests.append(params["request"]["url"])
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                result.errors.append(f"console: {params.get('args')}")
            elif method == "Runtime.exceptionThrown":
                result.errors.append(f"exception: {params.get('exceptionDetails', {}).get('text')}")
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                result.errors.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}")
        return result

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, OSError):
            self.send("Browser.close")
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._commands)
        os.close(self._replies)
