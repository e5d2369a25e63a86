"""Headless Chromium driven over the DevTools protocol on a pipe: no driver, no extra package.

``chromium --remote-debugging-pipe`` reads JSON commands on file descriptor 3 and writes
answers and events on 4, each message ended by a NUL byte. That is all a test needs to load a
page, run JavaScript in it, answer its ``confirm()`` dialogs and take a screenshot.

Example::

    with Browser.launch(chromium_path(), tmp_path) as browser:
        page = browser.new_page()
        page.goto("http://127.0.0.1:8765/_mock/")
        page.wait_for("document.title")
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = ["Browser", "BrowserError", "Page", "chromium_path"]

#: Flags for a closed network: without the background-networking ones Chromium stalls on
#: lookups that never answer; --no-sandbox because CI runs as root.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
)


def chromium_path() -> str | None:
    """The Chromium to drive: ``$CHROMIUM`` if set, else the first one on ``PATH``."""
    override = os.environ.get("CHROMIUM")
    if override:
        return override
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


class BrowserError(RuntimeError):
    """Chromium answered a command with an error, died, or did not answer in time."""


class Browser:
    """One Chromium process and the pipe to it."""

    def __init__(
        self, process: subprocess.Popen[bytes], to_browser: int, from_browser: int
    ) -> None:
        self._process = process
        self._out = to_browser
        self._in = from_browser
        self._write_lock = threading.Lock()
        self._answers: dict[int, dict[str, Any]] = {}
        self._arrived = threading.Condition()
        self._next_id = 0
        self._closed = False
        #: Per page session: JavaScript errors and the texts of dialogs it opened.
        self.errors: dict[str, list[str]] = {}
        self.dialogs: dict[str, list[str]] = {}
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @classmethod
    def launch(cls, executable: str, workdir: Path) -> Browser:
        """Start Chromium with a fresh profile in ``workdir``, logging to ``chromium.log`` there."""
        profile = workdir / "chromium-profile"
        profile.mkdir(parents=True, exist_ok=True)
        ours_read, theirs_write = os.pipe()  # Chromium -> us, on its fd 4
        theirs_read, ours_write = os.pipe()  # us -> Chromium, on its fd 3
        argv = [executable, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe"]
        with (workdir / "chromium.log").open("wb") as log:
            # subprocess cannot put a descriptor at a given number; a shell's redirections can
            # (bash's: dash takes only one-digit descriptors, and pytest's are often higher).
            process = subprocess.Popen(
                ["bash", "-c", f'exec "$0" "$@" 3<&{theirs_read} 4>&{theirs_write}', *argv],
                pass_fds=(theirs_read, theirs_write),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        os.close(theirs_read)
        os.close(theirs_write)
        return cls(process, ours_write, ours_read)

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._in, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                break
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for raw in messages:
                self._dispatch(json.loads(raw))
        with self._arrived:
            self._closed = True
            self._arrived.notify_all()

    def _dispatch(self, message: dict[str, Any]) -> None:
        if "id" in message:
            with self._arrived:
                self._answers[message["id"]] = message
                self._arrived.notify_all()
            return
        session = message.get("sessionId", "")
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            self.errors.setdefault(session, []).append(str(text))
        elif method == "Page.javascriptDialogOpening":
            # Answer "OK", as a user clicking through would; the test reads what it asked.
            self.dialogs.setdefault(session, []).append(str(params.get("message")))
            self._send("Page.handleJavaScriptDialog", {"accept": True}, session)

    def _send(self, method: str, params: dict[str, Any], session: str | None) -> int:
        with self._write_lock:
            self._next_id += 1
            message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
            if session:
                message["sessionId"] = session
            os.write(self._out, json.dumps(message).encode() + b"\0")
            return self._next_id

    def command(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        session: str | None = None,
        timeout: float = 30.0,
    ) -> dict[str, Any]:
        """Send one command and wait for its answer's ``result``."""
        try:
            number = self._send(method, params or {}, session)
        except OSError as exc:
            raise BrowserError(f"{method}: Chromium is gone ({exc})") from exc
        deadline = time.monotonic() + timeout
        with self._arrived:
            while number not in self._answers:
                left = deadline - time.monotonic()
                if self._closed or left <= 0:
                    why = (
                        "Chromium closed the pipe" if self._closed else f"no answer in {timeout} s"
                    )
                    raise BrowserError(f"{method}: {why}")
                self._arrived.wait(left)
            answer = self._answers.pop(number)
        if "error" in answer:
            raise BrowserError(f"{method}: {answer['error']}")
        result: dict[str, Any] = answer.get("result", {})
        return result

    def new_page(self, width: int = 1280, height: int = 900) -> Page:
        """A new tab of ``width`` × ``height`` CSS pixels, with its errors and dialogs watched."""
        target = self.command("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.command("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        page = Page(self, session, target)
        page.command("Page.enable")
        page.command("Runtime.enable")
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
        page.command("Emulation.setDeviceMetricsOverride", metrics)
        return page

    def close(self) -> None:
        """Ask Chromium to quit; kill it if it does not."""
        with contextlib.suppress(BrowserError):
            self.command("Browser.close", timeout=10)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._out)
        self._reader.join(timeout=10)
        os.close(self._in)

    def __enter__(self) -> Browser:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class Page:
    """One tab: navigate, evaluate JavaScript, wait for a condition, take a screenshot."""

    def __init__(self, browser: Browser, session: str, target: str) -> None:
        self.browser = browser
        self.session = session
        self.target = target

    @property
    def errors(self) -> list[str]:
        """Uncaught JavaScript errors so far."""
        return self.browser.errors.get(self.session, [])

    @property
    def dialogs(self) -> list[str]:
        """The messages of the ``alert``/``confirm`` dialogs it opened (all accepted)."""
        return self.browser.dialogs.get(self.session, [])

    def command(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """A DevTools command in this tab."""
        return self.browser.command(method, params, self.session)

    def goto(self, url: str) -> None:
        """Load ``url`` and wait until the document has loaded."""
        answer = self.command("Page.navigate", {"url": url})
        if answer.get("errorText"):
            raise BrowserError(f"could not load {url}: {answer['errorText']}")
        self.wait_for("document.readyState === 'complete'", f"{url} to load")

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression (promises awaited)."""
        answer = self.command(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in answer:
            details = answer["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"{expression!r} threw: {text}")
        return answer["result"].get("value")

    def wait_for(self, expression: str, what: str, timeout: float = 20.0) -> None:
        """Poll until ``expression`` is truthy in JavaScript; fail saying ``what``."""
        deadline = time.monotonic() + timeout
        while True:
            if self.evaluate(f"Boolean({expression})") is True:
                return
            if time.monotonic() > deadline:
                text = self.evaluate("document.body ? document.body.innerText : ''")
                raise BrowserError(
                    f"waited {timeout} s for {what}; JavaScript errors: {self.errors}; "
                    f"page text:\n{str(text)[:3000]}"
                )
            time.sleep(0.05)

    def click(self, selector: str) -> None:
        """Click the first element matching a CSS selector."""
        found = self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " if (!e) return false; e.click(); return true; })()"
        )
        if not found:
            raise BrowserError(f"nothing matches {selector!r}")

    def text(self, selector: str) -> str:
        """The visible text of the first element matching a CSS selector ('' if none)."""
        value = self.evaluate(
            f"(document.querySelector({json.dumps(selector)}) || {{innerText: ''}}).innerText"
        )
        return str(value)

    def screenshot(self, path: Path) -> None:
        """Save what the tab shows as a PNG."""
        data = self.command("Page.captureScreenshot", {"format": "png"})["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        """Close the tab."""
        self.browser.command("Target.closeTarget", {"targetId": self.target})
