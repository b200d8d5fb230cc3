"""Run a command with a real terminal (a pseudo-terminal) on its standard output, as a user's shell gives."""

from __future__ import annotations

import os
import pty
import subprocess


def run_on_terminal(command: list[str], env: dict[str, str], status: int) -> str:
    """What the command wrote to the terminal; it must exit with ``status`` (its stderr says why not)."""
    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen(command, stdout=follower, stderr=subprocess.PIPE, env=env)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closes when the command exits
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert proc.wait(timeout=60) == status, proc.stderr.read()
    finally:
        os.close(leader)
    return b"".join(chunks).decode()
