"""Headless Chromium (Debian's `chromium`) driven over the DevTools protocol
with Debian's `websockets`: enough to open a page, read its DOM and click,
for the tests of the built-in pages. Everything on 127.0.0.1."""

import asyncio
import itertools
import json
import os
import shutil
import subprocess
import tempfile

START_TIMEOUT = 20.0    # seconds for Chromium to open its DevTools port
COMMAND_TIMEOUT = 20.0  # seconds per DevTools command


def chromium_binary():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    """One headless Chromium with a fresh profile. `async with Browser() as b`."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="comanda-chromium-")
        self.proc = None
        self.ws = None
        self.ids = itertools.count(1)
        self.pending = {}
        self.events = []  # (session, method, params) of what the pages reported
        self.reader = None

    async def __aenter__(self):
        import websockets
        binary = chromium_binary()
        if not binary:
            raise RuntimeError("chromium is not installed (scripts/install-deps.sh installs it)")
        self.proc = subprocess.Popen(
            [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
             "--disable-dev-shm-usage", "--remote-debugging-address=127.0.0.1",
             "--remote-debugging-port=0", f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = await self._devtools_url()
        self.ws = await websockets.connect(url, max_size=64 * 1024 * 1024, ping_interval=None)
        self.reader = asyncio.ensure_future(self._read())
        return self

    async def _devtools_url(self):
        """Chromium writes its port and browser path to DevToolsActivePort."""
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        loop = asyncio.get_running_loop()
        end = loop.time() + START_TIMEOUT
        while loop.time() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chromium exited with {self.proc.returncode}")
            try:
                with open(port_file) as f:
                    lines = f.read().split()
                if len(lines) >= 2:
                    return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
            except FileNotFoundError:
                pass
            await asyncio.sleep(0.05)
        raise RuntimeError("chromium did not open its DevTools port")

    async def _read(self):
        async for raw in self.ws:
            m = json.loads(raw)
            if "id" in m:
                future = self.pending.pop(m["id"], None)
                if future and not future.done():
                    future.set_result(m)
            else:
                self.events.append((m.get("sessionId"), m["method"], m.get("params", {})))

    async def send(self, method, session=None, **params):
        """A DevTools command's result; an error raises."""
        i = next(self.ids)
        future = asyncio.get_running_loop().create_future()
        self.pending[i] = future
        message = {"id": i, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        await self.ws.send(json.dumps(message))
        answer = await asyncio.wait_for(future, COMMAND_TIMEOUT)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer["result"]

    async def open(self, url):
        """A new tab at `url`, once its document has loaded."""
        target = await self.send("Target.createTarget", url="about:blank")
        attached = await self.send("Target.attachToTarget", targetId=target["targetId"], flatten=True)
        page = Page(self, attached["sessionId"])
        await self.send("Runtime.enable", page.session)
        await self.send("Page.enable", page.session)
        await self.send("Page.navigate", page.session, url=url)
        await page.wait_for("document.readyState === 'complete'")
        return page

    async def __aexit__(self, *exc):
        if self.reader:
            self.reader.cancel()
        if self.ws:
            await asyncio.wait_for(self.ws.close(), 5)
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


class Page:
    def __init__(self, browser, session):
        self.browser, self.session = browser, session

    async def eval(self, expression):
        """The value of a JavaScript expression in the page (promises awaited)."""
        result = await self.browser.send("Runtime.evaluate", self.session, expression=expression,
                                         returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def wait_for(self, expression, timeout=15.0):
        """Waits until `expression` is truthy in the page; returns its value."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while True:
            value = await self.eval(expression)
            if value:
                return value
            if loop.time() > end:
                raise AssertionError(f"not within {timeout} s: {expression}\n{self.problems()}")
            await asyncio.sleep(0.05)

    def problems(self):
        """The page's uncaught exceptions and console errors, for a failure's message."""
        out = []
        for session, method, params in self.browser.events:
            if session != self.session:
                continue
            if method == "Runtime.exceptionThrown":
                out.append(params["exceptionDetails"].get("exception", {}).get("description", "exception"))
            elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
                out.append(" ".join(str(a.get("value", a.get("description"))) for a in params["args"]))
        return "\n".join(out) or "(no page errors)"
