"""Helpers for Comanda's end-to-end tests.

Starts the real server (comandad) on a temporary data directory, talks to it
with clients that share no code with it (urllib.request, curl, websockets),
and runs the command-line tool (comanda). Standard library, plus Debian's
python3-jwt (PyJWT) to mint tokens with an implementation independent of the
server's, and python3-websockets for the WebSocket tests.

Every server gets a random secret of its own (COMANDA_JWT_SECRET in its
environment) unless a test asks otherwise. Server.request() / get() / post()
/ curl() send an admin token by default; pass `token=` another token (a
string) or `token=None` for no Authorization header at all.

Binary paths come from the environment: COMANDAD (the server) and COMANDA
(the command-line tool), as set by CTest.

Every answer a started server gives through http() and curl() is checked
against the server's own GET /openapi.json (openapi_check.py; with Debian's
python3-jsonschema): a body its description does not allow fails the test.
COMANDA_E2E_OPENAPI=0 turns that off.
"""

import asyncio
import json
import os
import re
import secrets
import selectors
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import jwt  # PyJWT (Debian's python3-jwt): not the server's libjwt

import openapi_check

START_TIMEOUT = 20.0   # seconds for comandad to print its listening line
STOP_TIMEOUT = 10.0    # seconds for comandad to exit after SIGTERM
HTTP_TIMEOUT = 10.0    # seconds per HTTP request
CLI_TIMEOUT = 30.0     # seconds per comanda invocation

TOKEN_TTL = 3600      # seconds a minted token is valid

ADMIN_SUB = "u-admin"  # the subject of the default admin token

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


class _Default:
    """Marker: "the server's admin token" (the default of `token=`)."""

    def __repr__(self):
        return "DEFAULT"


DEFAULT = _Default()
OMIT = object()  # a claim given as OMIT is left out of the token


def new_secret(nbytes=48):
    """A random HS256 secret, as text (comandad takes it from the environment)."""
    return secrets.token_urlsafe(nbytes)


def make_token(secret, role, sub, *, algorithm="HS256", headers=None, **claims):
    """A JWT minted with PyJWT: {"sub", "role", "iat", "exp": now + 1 h}
    updated with `claims`; a claim whose value is OMIT is dropped (also sub
    and role: pass role=OMIT or sub=OMIT)."""
    now = int(time.time())
    payload = {"sub": sub, "role": role, "iat": now, "exp": now + TOKEN_TTL}
    payload.update(claims)
    payload = {k: v for k, v in payload.items() if v is not OMIT}
    return jwt.encode(payload, secret, algorithm=algorithm, headers=headers)


def _auth_headers(headers, token):
    """`headers` with `Authorization: Bearer <token>` added, unless token is
    None or the caller set Authorization itself."""
    hdrs = dict(headers or {})
    if token is not None and not any(k.lower() == "authorization" for k in hdrs):
        hdrs["Authorization"] = f"Bearer {token}"
    return hdrs


def env_without_comanda(**extra):
    """os.environ without any inherited COMANDA_* setting (but the binaries'
    paths, COMANDAD and COMANDA), plus `extra`: for runs that must decide
    every setting themselves."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMANDA_") or k in ("COMANDAD", "COMANDA")}
    env.update(extra)
    return env


def content_type(headers):
    """The media type of a response, without parameters."""
    return (headers.get("Content-Type") or "").split(";")[0].strip()


def _clean_env(extra):
    """os.environ without any inherited COMANDA_JWT_* / COMANDA_DEV setting
    (so that a test decides alone how the server authenticates), plus `extra`."""
    env = {k: v for k, v in os.environ.items()
           if not (k.startswith("COMANDA_JWT_") or k == "COMANDA_DEV")}
    env.update(extra or {})
    return env


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
    same data directory (on a new free port) and the same secret.

    `secret`: DEFAULT (a random one), a string (that one), or None (none: for
    --dev, or a server expected to refuse to start). The tests mint tokens
    with it; comandad gets it as COMANDA_JWT_SECRET unless `secret_in_env`
    is false (for a server given --jwt-secret-file in `extra_args`).
    `prefix`: words run before comandad (the benchmarks' ["taskset", "-c", "0"])."""

    def __init__(self, data_dir, extra_args=(), env=None, secret=DEFAULT, secret_in_env=True, prefix=()):
        self.data_dir = data_dir
        self.prefix = list(prefix)
        self.extra_args = list(extra_args)
        self.env = env  # extra environment variables for comandad
        self.secret = new_secret() if secret is DEFAULT else secret
        self.secret_in_env = secret_in_env
        self.admin_token = self.token("admin", ADMIN_SUB) if self.secret else None
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
        # Tests send bursts as one admin: the rate limit is off unless a test
        # sets it (test_limits.py tests the shipped default).
        unlimited = [] if any(a.startswith("--rate-limit") for a in self.extra_args) \
            or "COMANDA_RATE_LIMIT" in (self.env or {}) else ["--rate-limit", "0"]
        cmd = [*self.prefix, binary("COMANDAD"), "--data", self.data_dir, "--listen", "127.0.0.1:0",
               *unlimited, *self.extra_args]
        self._stderr_file = open(self._stderr_path, "ab")
        env = _clean_env(self.env)
        if self.secret and self.secret_in_env:
            env["COMANDA_JWT_SECRET"] = self.secret
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
        try:
            openapi_check.attach(self.base_url, binary("COMANDAD"))
        except BaseException:
            self.stop()
            raise
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
            if self.base_url:
                openapi_check.detach(self.base_url)
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

    def token(self, role, sub, **extra_claims):
        """A token for this server's secret, minted with PyJWT (see make_token)."""
        if not self.secret:
            raise RuntimeError("this server has no secret to sign tokens with")
        return make_token(self.secret, role, sub, **extra_claims)

    def _token(self, token):
        return self.admin_token if token is DEFAULT else token

    def request(self, method, path, body=None, headers=None, timeout=HTTP_TIMEOUT, token=DEFAULT, raw=False):
        """urllib; `token`: DEFAULT (admin), a token, or None (no Authorization)."""
        return http(method, self.url(path), body, _auth_headers(headers, self._token(token)), timeout, raw=raw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body, **kw)

    def curl(self, method, path, body=None, headers=None, timeout=HTTP_TIMEOUT, token=DEFAULT):
        """curl, with the same `token` convention as request()."""
        return curl(method, self.url(path), body, _auth_headers(headers, self._token(token)), timeout)

    def ws_url(self, path="/v1/ws"):
        return f"ws://127.0.0.1:{self.port}{path}"

    def position(self):
        """The committed log position, from /healthz (which needs no token)."""
        status, _, body = self.get("/healthz", token=None)
        if status != 200:
            raise AssertionError(f"/healthz answered {status}: {body!r}")
        return body["position"]

    def metric(self, name):
        """The value of the unlabelled sample `name` in /metrics (no token)."""
        status, _, text = self.request("GET", "/metrics", token=None, raw=True)
        if status != 200:
            raise AssertionError(f"/metrics answered {status}")
        for line in text.decode().splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
        raise AssertionError(f"no {name} in /metrics")

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False


class TempServer(Server):
    """A Server on a fresh temporary directory, removed on exit (also on failure)."""

    def __init__(self, extra_args=(), env=None, secret=DEFAULT, secret_in_env=True, prefix=()):
        self._tmp = tempfile.TemporaryDirectory(prefix="comanda-e2e-")
        self.tmp_dir = self._tmp.name
        super().__init__(os.path.join(self._tmp.name, "data"), extra_args, env, secret, secret_in_env, prefix)

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


def serve_for(test, **kw):
    """Starts a TempServer(**kw) for a unittest `test` and stops it, data and
    all, when the test ends (pass or fail)."""
    server = TempServer(**kw)
    server.__enter__()
    test.addCleanup(server.cleanup)
    return server


def http(method, url, body=None, headers=None, timeout=HTTP_TIMEOUT, raw=False):
    """One request with urllib.request. Returns (status, headers, body) where
    body is parsed JSON for JSON content types (application/json,
    application/problem+json), else the raw bytes (always the raw bytes with
    raw=True). Never raises on 4xx/5xx. Sends exactly `headers`: no token
    unless they carry one (Server.request adds the admin's).

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
            status, resp_headers, raw_body = resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        status, resp_headers, data = e.code, e.headers, e.read()
        e.close()
    else:
        data = raw_body
    openapi_check.check(method, url, status, resp_headers.get("Content-Type"), data)
    return status, resp_headers, data if raw else _decode(resp_headers, data)


def _decode(headers, raw):
    ctype = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if ctype in ("application/json", "application/problem+json") and raw:
        return json.loads(raw.decode("utf-8"))
    return raw


def curl(method, url, body=None, headers=None, timeout=HTTP_TIMEOUT):
    """One request with curl (`curl -s -i`), a second client independent of
    urllib. Returns (status, headers as a lower-cased dict, body like http()).
    Sends exactly `headers` (Server.curl adds the admin's token)."""
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
    openapi_check.check(method, url, status, hdrs.get("content-type"), raw)
    ctype = hdrs.get("content-type", "").split(";")[0].strip().lower()
    parsed = json.loads(raw) if ctype in ("application/json", "application/problem+json") and raw else raw
    return status, hdrs, parsed


def cli(*args, timeout=CLI_TIMEOUT, env=None):
    """Run the comanda tool. Returns the CompletedProcess (text output).
    `env`: extra environment variables (inherited COMANDA_JWT_* are dropped)."""
    return subprocess.run([binary("COMANDA"), *args], capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, env=_clean_env(env))


# POSITION, LOCAL TIME, UTC, VERSION, ACTOR, EVENT (then what it changed)
HISTORY_LINE = re.compile(r"^(\d+)\s+(\S+)\s+(\S+)\s+(\d+)\s+(\S+)\s+(\w+)")


def history_actors(data_dir, stream_id):
    """`comanda history` of a stream as [(version, actor "role:sub", event type)]."""
    out = cli("history", stream_id, "--data", data_dir)
    if out.returncode != 0:
        raise AssertionError(f"comanda history failed ({out.returncode}): {out.stderr}")
    rows = []
    for line in out.stdout.splitlines()[1:]:
        m = HISTORY_LINE.match(line)
        if not m:
            raise AssertionError(f"unexpected history line: {line!r}\n{out.stdout}")
        rows.append((int(m.group(4)), m.group(5), m.group(6)))
    return rows


# ---- WebSocket (python3-websockets, imported only by the tests that use it) ----

WS_OPEN_TIMEOUT = 10.0
WS_RECV_TIMEOUT = 10.0  # seconds per expected WebSocket message


async def recv_json(ws, timeout=WS_RECV_TIMEOUT):
    """The next WebSocket message, which must be JSON text."""
    raw = await asyncio.wait_for(ws.recv(), timeout)
    if isinstance(raw, bytes):
        raise AssertionError(f"expected a text message, got binary {raw[:80]!r}")
    return json.loads(raw)


async def in_thread(fn, *args, **kw):
    """Blocking HTTP from the event loop's executor, so sockets keep being read."""
    return await asyncio.get_running_loop().run_in_executor(None, lambda: fn(*args, **kw))


async def ws_connect(server, token=DEFAULT, path="/v1/ws", headers=None, **kw):
    """Open `path` (/v1/ws) on `server`; `token` as in Server.request (DEFAULT: the
    admin's, in the upgrade's Authorization header; None: no header);
    `headers`: more upgrade headers (an Authorization there wins).
    Copes with both names of the headers argument (extra_headers up to
    websockets 13's legacy client, additional_headers from 14 on)."""
    import websockets
    headers = _auth_headers(headers, server._token(token))
    options = dict(open_timeout=WS_OPEN_TIMEOUT, close_timeout=5, ping_interval=None,
                   max_size=4 * 1024 * 1024)
    options.update(kw)
    if headers:
        major = int(websockets.__version__.split(".")[0])
        options["additional_headers" if major >= 14 else "extra_headers"] = headers
    return await websockets.connect(server.ws_url(path), **options)


async def subscribe(ws, topic="events", **extra):
    """Subscribes `ws` to `topic` (docs/realtime.md) and returns the answer:
    {"type": "subscribed", "topic", "position"}, or an error. The answer is
    the socket's next message when nothing else is under way on it."""
    await ws.send(json.dumps({"type": "subscribe", "topic": topic, **extra}))
    return await recv_json(ws)


def refused_upgrade_status(exc):
    """The HTTP status of a refused WebSocket upgrade, from the exception of
    whichever websockets version is installed (InvalidStatusCode with
    .status_code, or InvalidStatus with .response.status_code)."""
    if hasattr(exc, "status_code"):
        return exc.status_code
    return exc.response.status_code


def refused_upgrade_headers(exc):
    if hasattr(exc, "headers"):
        return exc.headers
    return exc.response.headers


def upgrade_refused_errors():
    """The exception classes a refused upgrade raises, for assertRaises."""
    import websockets.exceptions as wse
    return tuple(c for c in (getattr(wse, "InvalidStatus", None), getattr(wse, "InvalidStatusCode", None)) if c)


# ---- request bodies shared by the tests ------------------------------------

LAT, LNG = -12.12, -77.03  # where restaurant_body()'s restaurant is
DEGREES_PER_METRE = 1 / 111195.0


def north(metres):
    """The point `metres` north of the restaurant's latitude, in degrees."""
    return round(LAT + metres * DEGREES_PER_METRE, 7)


def restaurant_body(**over):
    body = {"name": "Sede 1", "address": "Av. Larco 101", "location": {"lat": LAT, "lng": LNG},
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


def menu_body():
    """The menu order_body() orders from: BURGER at 15.50 with Extra cheese at
    3.00 and no onion or ketchup; SODA at 5.00."""
    return {"items": [{"sku": "BURGER", "name": "Hamburguesa", "price": 1550,
                       "modifiers": [{"name": "Extra cheese", "price": 300}],
                       "removals": ["onion", "ketchup"]},
                      {"sku": "SODA", "name": "Inca Kola 500 ml", "price": 500}]}


def put_menu(server, restaurant_id, body=None):
    """Gives a restaurant menu_body() (or `body`), as its admin: customers order from it."""
    status, headers, menu = server.request("PUT", f"/v1/restaurants/{restaurant_id}/menu", body or menu_body())
    if status != 200:
        raise AssertionError(f"putting a menu answered {status}: {menu!r}")
    return menu


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
