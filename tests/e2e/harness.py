"""Helpers for Comanda's end-to-end tests.

Starts the real server (comandad) on a temporary data directory, talks to it
with clients that share no code with it (urllib.request, curl, websockets),
and runs the command-line tool (comanda). Standard library only.

Binary paths come from the environment: COMANDAD (the server) and COMANDA
(the command-line tool), as set by CTest.
"""

import json
import os
import re
import selectors
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

START_TIMEOUT = 20.0   # seconds for comandad to print its listening line
STOP_TIMEOUT = 10.0    # seconds for comandad to exit after SIGTERM
HTTP_TIMEOUT = 10.0    # seconds per HTTP request
CLI_TIMEOUT = 30.0     # seconds per comanda invocation

_LISTENING = re.compile(r"^comandad listening on (http://127\.0\.0\.1:(\d+))\b")

# Never route loopback requests through a proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def binary(name):
    """The path of a binary named by an environment variable (COMANDAD, COMANDA)."""
    path = os.environ.get(name)
    if not path:
        raise RuntimeError(f"set {name} to the path of the binary (CTest sets it)")
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"{name}={path} is not an executable file")
    return path


def _read_line(stream, deadline):
    """Read one line from a pipe, bounded by a deadline. Returns the line
    (without the newline) or None at end of file; raises TimeoutError."""
    fd = stream.fileno()
    data = b""
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while b"\n" not in data:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no complete line within the deadline; got {data!r}")
            if not sel.select(timeout=remaining):
                continue  # timed out: the loop re-checks the deadline
            chunk = os.read(fd, 4096)
            if not chunk:
                return data.decode("utf-8", "replace") if data else None
            data += chunk
            if len(data) > 64 * 1024:
                raise RuntimeError(f"unexpectedly long output from comandad: {data[:200]!r}...")
    return data.split(b"\n", 1)[0].decode("utf-8", "replace")


class Server:
    """One comandad process on a data directory. Use as a context manager, or
    call start() / stop(); restart() stops it and starts a new process on the
    same data directory (on a new free port)."""

    def __init__(self, data_dir, extra_args=(), env=None):
        self.data_dir = data_dir
        self.extra_args = list(extra_args)
        self.env = env  # extra environment variables for comandad
        self.proc = None
        self.base_url = None
        self.port = None
        self.listening_line = None
        self._stderr_file = None
        self._stderr_path = os.path.join(os.path.dirname(os.path.abspath(data_dir)),
                                         os.path.basename(data_dir) + ".stderr.log")

    def start(self):
        if self.proc is not None:
            raise RuntimeError("already running")
        cmd = [binary("COMANDAD"), "--data", self.data_dir, "--listen", "127.0.0.1:0", *self.extra_args]
        self._stderr_file = open(self._stderr_path, "ab")
        env = dict(os.environ, **self.env) if self.env else None
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=self._stderr_file, env=env)
        deadline = time.monotonic() + START_TIMEOUT
        try:
            line = _read_line(self.proc.stdout, deadline)
            if line is None:
                code = self.proc.wait(timeout=STOP_TIMEOUT)
                raise RuntimeError(f"comandad exited ({code}) before listening: {self.stderr()}")
            m = _LISTENING.match(line)
            if not m:
                raise RuntimeError(f"unexpected first line from comandad: {line!r}")
        except BaseException:
            self.stop()
            raise
        self.listening_line = line
        self.base_url = m.group(1)
        self.port = int(m.group(2))
        return self.base_url

    def stop(self):
        """SIGTERM, wait; SIGKILL if it does not exit in time. Returns the exit
        code (negative for a signal), or None if it was not running."""
        if self.proc is None:
            return None
        proc, self.proc = self.proc, None
        code = None
        try:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    code = proc.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=STOP_TIMEOUT)
                    raise RuntimeError("comandad did not exit within "
                                       f"{STOP_TIMEOUT}s of SIGTERM; killed it")
            else:
                code = proc.returncode
        finally:
            if proc.stdout:
                proc.stdout.close()
            if self._stderr_file:
                self._stderr_file.close()
                self._stderr_file = None
            self.base_url = None
        return code

    def restart(self):
        self.stop()
        return self.start()

    def stderr(self):
        try:
            with open(self._stderr_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def url(self, path):
        return self.base_url + path

    def request(self, method, path, body=None, headers=None, timeout=HTTP_TIMEOUT):
        return http(method, self.url(path), body, headers, timeout)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def position(self):
        """The committed log position, from /healthz."""
        status, _, body = self.get("/healthz")
        if status != 200:
            raise AssertionError(f"/healthz answered {status}: {body!r}")
        return body["position"]

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False


class TempServer(Server):
    """A Server on a fresh temporary directory, removed on exit (also on failure)."""

    def __init__(self, extra_args=(), env=None):
        self._tmp = tempfile.TemporaryDirectory(prefix="comanda-e2e-")
        super().__init__(os.path.join(self._tmp.name, "data"), extra_args, env)

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self._tmp.cleanup()
            raise
        return self

    def __exit__(self, *exc):
        try:
            self.stop()
        finally:
            self._tmp.cleanup()
        return False

    def cleanup(self):
        self.__exit__(None, None, None)


def http(method, url, body=None, headers=None, timeout=HTTP_TIMEOUT):
    """One request with urllib.request. Returns (status, headers, body) where
    body is parsed JSON for JSON content types (application/json,
    application/problem+json), else the raw bytes. Never raises on 4xx/5xx.

    `body` may be bytes (sent as is), str (UTF-8) or anything else (JSON)."""
    hdrs = dict(headers or {})
    data = None
    if body is not None:
        if isinstance(body, bytes):
            data = body
        elif isinstance(body, str):
            data = body.encode("utf-8")
        else:
            data = json.dumps(body).encode("utf-8")
        hdrs.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=data, headers=hdrs, method=method)
    try:
        with _OPENER.open(req, timeout=timeout) as resp:
            status, resp_headers, raw = resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        status, resp_headers, raw = e.code, e.headers, e.read()
        e.close()
    return status, resp_headers, _decode(resp_headers, raw)


def _decode(headers, raw):
    ctype = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if ctype in ("application/json", "application/problem+json") and raw:
        return json.loads(raw.decode("utf-8"))
    return raw


def curl(method, url, body=None, headers=None, timeout=HTTP_TIMEOUT):
    """One request with curl (`curl -s -i`), a second client independent of
    urllib. Returns (status, headers as a lower-cased dict, body like http())."""
    cmd = ["curl", "-s", "-i", "--noproxy", "*", "--max-time", str(int(timeout)), "-X", method]
    for k, v in (headers or {}).items():
        cmd += ["-H", f"{k}: {v}"]
    if body is not None:
        data = body if isinstance(body, (bytes, str)) else json.dumps(body)
        if isinstance(data, str):
            data = data.encode("utf-8")
        cmd += ["-H", "Content-Type: application/json", "--data-binary", "@-"]
    else:
        data = None
    cmd.append(url)
    out = subprocess.run(cmd, input=data, capture_output=True, timeout=timeout + 5)
    if out.returncode != 0:
        raise RuntimeError(f"curl failed ({out.returncode}): {out.stderr!r}")
    head, _, raw = out.stdout.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    hdrs = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    ctype = hdrs.get("content-type", "").split(";")[0].strip().lower()
    parsed = json.loads(raw) if ctype in ("application/json", "application/problem+json") and raw else raw
    return status, hdrs, parsed


def cli(*args, timeout=CLI_TIMEOUT):
    """Run the comanda tool. Returns the CompletedProcess (text output)."""
    return subprocess.run([binary("COMANDA"), *args], capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


# ---- request bodies shared by the tests ------------------------------------

def restaurant_body(**over):
    body = {"name": "Sede 1", "address": "Av. Larco 101", "location": {"lat": -12.12, "lng": -77.03},
            "currency": "PEN", "time_zone": "America/Lima", "tax": {"rate_bp": 1800, "included": True},
            "owners": ["u-owner-1"]}
    body.update(over)
    return body


def order_body(restaurant_id, **over):
    """DESIGN.md's example order: 2 x BURGER at 15.50 + Extra cheese 3.00,
    tip 2.00, cash 50.00 (subtotal 37.00, total 39.00, change 11.00)."""
    body = {"restaurant_id": restaurant_id,
            "customer": {"id": "u-cust-1", "name": "Ana Pérez", "phone": "+51987654321"},
            "items": [{"sku": "BURGER", "name": "Hamburguesa", "quantity": 2, "unit_price": 1550,
                       "modifiers": [{"name": "No onion"}, {"name": "Extra cheese", "price": 300}],
                       "notes": "bien cocida"}],
            "fulfillment": {"type": "delivery", "address": "Calle 1 234",
                            "location": {"lat": -12.1, "lng": -77.0}, "scheduled_for": None},
            "payment": {"method": "cash", "cash_tendered": 5000}, "tip": 200, "notes": "sin ají"}
    body.update(over)
    return body


def register_restaurant(server, **over):
    status, headers, body = server.post("/v1/restaurants", restaurant_body(**over))
    if status != 201:
        raise AssertionError(f"registering a restaurant answered {status}: {body!r}")
    return body["id"]


def place_order(server, restaurant_id, **over):
    status, headers, body = server.post("/v1/orders", order_body(restaurant_id, **over))
    if status != 201:
        raise AssertionError(f"placing an order answered {status}: {body!r}")
    return body
