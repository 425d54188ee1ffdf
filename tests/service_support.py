"""Helpers for the service tests: tokens, an in-process client, and a real ``fluxparams serve``."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

import httpx

REPO = Path(__file__).resolve().parents[1]


def run_cli(*args: str, env: Optional[Dict[str, str]] = None,
            timeout: float = 60) -> subprocess.CompletedProcess:
    """``python -m fluxparams.service ARGS`` (the same main() that ``fluxparams`` dispatches to)."""
    return subprocess.run([sys.executable, "-m", "fluxparams.service", *args],
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def cli_token(db: Path, org: str) -> str:
    done = run_cli("token", "create", "--org", org, "--db", str(db))
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """``fluxparams serve`` in a subprocess on a free loopback port; ``stop()`` tears it down."""

    def __init__(self, db: Path, *extra: str, env: Optional[Dict[str, str]] = None) -> None:
        self.db = db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = db.with_suffix(".serve.log")
        self._log_file = open(self.log, "wb")
        argv: List[str] = [sys.executable, "-m", "fluxparams.service", "serve",
                           "--host", "127.0.0.1", "--port", str(self.port), "--db", str(db),
                           "--log-level", "warning", *extra]
        self.proc = subprocess.Popen(argv, stdout=self._log_file, stderr=subprocess.STDOUT,
                                     env={**os.environ, **(env or {})})
        self._wait_ready()

    def _wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"fluxparams serve exited with {self.proc.returncode}:\n"
                                   + self.log.read_text(errors="replace"))
            try:
                if httpx.get(self.url + "/api/v2/openapi.json", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("fluxparams serve did not become ready:\n"
                           + self.log.read_text(errors="replace"))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._log_file.close()

    def __enter__(self) -> "LiveServer":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
