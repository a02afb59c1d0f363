"""The HTTP sides of bench/peers/side_by_side.py: comandad on a copy of a
template data directory preloaded through its own API, the minimal Beast
server (bench/peers/minimal_server.cpp) answering comandad's bytes, and wrk
loading either. wrk runs one thread with no per-response Lua callback: a
static request, or for GETs a `request()` handing out requests formatted
once, one order after another."""

import json
import os
import re
import signal
import subprocess
import tempfile
import time

import harness
from harness import ADMIN_SUB, Server, new_secret, order_body, put_menu, register_restaurant
from measure import cpu_seconds, rss_mib

# The request kinds, each with its peers in side_by_side.py.
ORDERS, GET, PINGS = "POST /v1/orders", "GET /v1/orders/{id}", "POST /v1/drivers/{id}/location"

# comandad as shipped, the rate limit off and the durability written out.
COMANDAD_ARGS = ["--durability", "sync", "--rate-limit", "0"]
COMANDAD_THREADS = 2  # comandad's default --threads: the minimal server runs as many

PRELOAD_CLIENTS = 256
RESTAURANTS = 20  # the preloaded orders spread over them
CUSTOMERS = 1000
GET_SAMPLE = 1000  # orders the GET kind cycles through, spread over the preload
PING = {"lat": -12.1, "lng": -77.03}
# wrk leaves an answer slower than its timeout (default 2 s) out of its
# latency histogram, counting it as a socket error: 10 s keeps a stall's
# requests in the percentiles.
WRK_TIMEOUT = "10s"

# A million orders: loaded from the snapshot at start, snapshotted again at stop.
harness.START_TIMEOUT = 300
harness.STOP_TIMEOUT = 300

_BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _cursor(position):
    """GET /v1/orders' cursor for a log position (api/routes/order_query.cpp)."""
    return "".join(_BASE64URL[(position >> (6 * i)) & 63] for i in range(10, -1, -1))


def _write_lua(directory, text):
    f = tempfile.NamedTemporaryFile("w", suffix=".lua", dir=directory, delete=False)
    f.write(text)
    f.close()
    return f.name


def _lua_string(text):
    return json.dumps(text)  # a JSON string of ASCII is a Lua string literal


class Template:
    """A comandad data directory holding `orders` orders placed through
    POST /v1/orders by wrk (PRELOAD_CLIENTS connections, bodies varying over
    RESTAURANTS restaurants and CUSTOMERS customers), stopped so that its
    read models are snapshotted. Keeps what the rounds need: the secret,
    the ids, a sample of order ids, and one GET answer as `curl -i` saw it."""

    def __init__(self, run_dir, orders):
        self.dir = os.path.join(run_dir, "comandad-template")
        os.makedirs(self.dir)
        self.data = os.path.join(self.dir, "data")
        self.secret = new_secret()
        server = Server(self.data, COMANDAD_ARGS, secret=self.secret)
        server.start()
        try:
            self.restaurants = [register_restaurant(server) for _ in range(RESTAURANTS)]
            for r in self.restaurants:
                put_menu(server, r)
            self.driver_sub = "bench-driver"
            status, _, driver = server.post("/v1/drivers", {"name": "Bench"},
                                            token=server.token("driver", self.driver_sub))
            assert status == 201, driver
            self.driver = driver["id"]
            started = time.monotonic()
            first = server.position() + 1
            self._preload(server, orders, run_dir)
            self.preload_seconds = time.monotonic() - started
            self.order_ids = self._sample(server, first, orders)
            self.answer = os.path.join(run_dir, "get-answer.http")
            with open(self.answer, "wb") as f:
                f.write(_curl_i(server.url(f"/v1/orders/{self.order_ids[0]}"), server.admin_token))
        finally:
            server.stop()

    def _preload(self, server, orders, run_dir):
        """Exactly `orders` orders: the script's request() hands out orders
        until it has sent them all, then GET /healthz, while this polls the
        log's position and interrupts wrk once every order is in."""
        bodies = [json.dumps(order_body(self.restaurants[i % RESTAURANTS],
                                        customer={"id": f"u-cust-{i}", "name": f"Cliente {i}",
                                                  "phone": "+51987654321"}))
                  for i in range(CUSTOMERS)]
        script = _write_lua(run_dir, f"""
local headers = {{["Authorization"] = "Bearer {server.admin_token}", ["Content-Type"] = "application/json"}}
local bodies = {{{", ".join(_lua_string(b) for b in bodies)}}}
local orders, sent, requests, healthz = {orders}, 0, {{}}, nil
function init(args)
  for i, body in ipairs(bodies) do requests[i] = wrk.format("POST", "/v1/orders", headers, body) end
  healthz = wrk.format("GET", "/healthz")
end
-- wrk calls request() once before the run to check the script: that
-- call's order is never sent, hence `>`.
function request()
  if sent > orders then return healthz end
  sent = sent + 1
  return requests[sent % #requests + 1]
end
""")
        target = server.position() + orders
        wrk = subprocess.Popen(["wrk", "-t", "1", "-c", str(PRELOAD_CLIENTS), "-d", "3600s", "--timeout", WRK_TIMEOUT,
                                "-s", script, server.url("/v1/orders")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        stalled, last, last_change = None, 0, time.monotonic()
        try:
            while (position := server.position()) < target:
                if position != last:
                    last, last_change = position, time.monotonic()
                if wrk.poll() is not None or time.monotonic() - last_change > 30:
                    stalled = position
                    break
                time.sleep(0.5)
        finally:
            if wrk.poll() is None:
                wrk.send_signal(signal.SIGINT)
            out = wrk.communicate(timeout=60)[0]
            os.unlink(script)
        if stalled is not None:
            raise RuntimeError(f"preload stalled at position {stalled} of {target}:\n{out}")
        # Answers slower than wrk's timeout still count: the position says every order is in.
        lost = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+)", out)
        if "Non-2xx" in out or (lost and any(int(n) for n in lost.groups())):
            raise RuntimeError(f"preload: some orders failed:\n{out}")

    @staticmethod
    def _sample(server, first, orders):
        """GET_SAMPLE order ids from ten pages of GET /v1/orders, their
        cursors spread over the preloaded positions."""
        ids = []
        per_page = max(1, min(500, GET_SAMPLE // 10))
        for k in range(10):
            position = first + per_page + (orders - per_page) * (k + 1) // 10
            status, _, page = server.get(f"/v1/orders?limit={per_page}&cursor={_cursor(position)}")
            assert status == 200, page
            ids += [o["id"] for o in page["orders"]]
        assert len(set(ids)) >= min(orders, GET_SAMPLE) // 2, f"only {len(set(ids))} distinct orders sampled"
        return ids


def _curl_i(url, token):
    return subprocess.run(["curl", "-s", "-i", "--noproxy", "*", "-H", f"Authorization: Bearer {token}", url],
                          check=True, capture_output=True).stdout


class Comandad:
    """comandad on a copy of the template (`data`), its requests ready:
    kinds() gives (kind, url, wrk script) for each."""

    def __init__(self, template, data, prefix, run_dir):
        self.server = Server(data, COMANDAD_ARGS, secret=template.secret, prefix=prefix)
        self.server.start()
        self.template, self.run_dir = template, run_dir
        self.scripts = []

    @property
    def pid(self):
        return self.server.proc.pid

    def kinds(self, clients):
        """One token per client, as many clients would hold: distinct tokens
        (each its own `jti`), handed out in turn by the script's request()."""
        s, t = self.server, self.template
        admins = [s.token("admin", ADMIN_SUB, jti=f"c{i}") for i in range(clients)]
        drivers = [s.token("driver", t.driver_sub, jti=f"c{i}") for i in range(clients)]
        self.scripts += [cycling_script(self.run_dir, "POST", ["/v1/orders"], order_body(t.restaurants[0]), admins),
                         cycling_script(self.run_dir, "GET", [f"/v1/orders/{i}" for i in t.order_ids], None, admins),
                         cycling_script(self.run_dir, "POST", [f"/v1/drivers/{t.driver}/location"], PING, drivers)]
        self.scripts = self.scripts[-3:]
        return [(ORDERS, s.url("/v1/orders"), self.scripts[0]),
                (GET, s.url("/"), self.scripts[1]),
                (PINGS, s.url(f"/v1/drivers/{t.driver}/location"), self.scripts[2])]

    def stop(self):
        self.server.stop()
        for script in self.scripts:
            os.unlink(script)


class MinimalServer:
    """bench/peers/minimal_server.cpp answering the template's GET answer."""

    def __init__(self, binary, answer, prefix):
        self.proc = subprocess.Popen([*prefix, binary, answer, "0", str(COMANDAD_THREADS)],
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("minimal_server listening on "):
            self.stop()
            raise RuntimeError(f"minimal_server did not start: {line!r}")
        self.base_url = line.split()[-1]

    @property
    def pid(self):
        return self.proc.pid

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)
        self.proc.stdout.close()


def static_script(directory, method, body, token):
    """wrk's static request: the same bytes on every connection."""
    text = f'wrk.method = "{method}"\nwrk.headers["Authorization"] = "Bearer {token}"\n'
    if body is not None:
        text += f'wrk.body = {_lua_string(json.dumps(body))}\nwrk.headers["Content-Type"] = "application/json"\n'
    return _write_lua(directory, text)


def cycling_script(directory, method, paths, body, tokens):
    """Requests formatted once in init(), then handed out in turn by
    request(): path i with token i (both cycled, so that every path and every
    token is used), `body` (JSON) on each when given."""
    n = max(len(paths), len(tokens))
    content = "" if body is None else ', ["Content-Type"] = "application/json"'
    lua_body = "nil" if body is None else _lua_string(json.dumps(body))
    return _write_lua(directory, f"""
local paths = {{{", ".join(_lua_string(p) for p in paths)}}}
local tokens = {{{", ".join(_lua_string(t) for t in tokens)}}}
local requests, n = {{}}, 0
function init(args)
  for i = 1, {n} do
    local headers = {{["Authorization"] = "Bearer " .. tokens[(i - 1) % #tokens + 1]{content}}}
    requests[i] = wrk.format("{method}", paths[(i - 1) % #paths + 1], headers, {lua_body})
  end
end
function request()
  n = n % #requests + 1
  return requests[n]
end
""")


def _ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 1e-3, "ms": 1, "s": 1e3}[unit]


def run_wrk(url, script, clients, duration, pid, prefix):
    """wrk on `url` for `duration` s: req/s, p50/p99 in ms (wrk's histogram
    holds every request), errors (non-2xx answers and socket errors), the
    server's CPU µs per request and its RSS after the run."""
    before = cpu_seconds(pid)
    out = subprocess.run([*prefix, "wrk", "-t", "1", "-c", str(clients), "-d", f"{duration}s", "--timeout", WRK_TIMEOUT,
                          "--latency", "-s", script, url], capture_output=True, text=True, check=True).stdout
    cpu = cpu_seconds(pid) - before
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    dist = dict(re.findall(r"^\s+(\d+)%\s+(\S+)$", out, re.M))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + \
        (sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1))) if socket_errors else 0)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": _ms(dist["50"]), "p99": _ms(dist["99"]), "errors": errors,
            "cpu_us": cpu / max(requests, 1) * 1e6, "rss": rss_mib(pid)}

