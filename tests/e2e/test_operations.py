"""Running comandad in front of real clients (docs/operations.md, "Running
it"): /metrics after real traffic, the access log and --log-level, the rate
limit, the connection cap, the read and idle timeouts, and the graceful stop
on SIGTERM. Raw sockets stand in for careless and hostile clients."""

import asyncio
import json
import re
import signal
import socket
import subprocess
import time
import unittest

import harness
from harness import (TempServer, order_body, place_order, put_menu, register_restaurant, serve_for,
                     ws_connect, subscribe)

DEADLINE = 20  # seconds: generous, for a loaded machine


def raw_connection(server, timeout=DEADLINE):
    s = socket.create_connection(("127.0.0.1", server.port), timeout=timeout)
    return s


class Responses:
    """HTTP/1.1 responses off a socket, one after another: what a read
    brings beyond one response is kept for the next."""

    def __init__(self, sock):
        self.sock, self.data = sock, b""

    def _fill(self):
        chunk = self.sock.recv(65536)
        self.data += chunk
        return bool(chunk)

    def next(self):
        """(status, headers dict, body bytes); (None, {}, b"") when the
        server closed without answering."""
        while b"\r\n\r\n" not in self.data:
            if not self._fill():
                return None, {}, b""
        head, _, self.data = self.data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:])}
        length = int(headers.get("content-length", "0"))
        while len(self.data) < length and self._fill():
            pass
        body, self.data = self.data[:length], self.data[length:]
        return status, headers, body


def read_response(sock):
    """One response off a socket that is sent one request at a time."""
    return Responses(sock).next()


def closed_by_peer(sock, within):
    """Whether the server closes `sock` (EOF or reset) within `within` seconds."""
    sock.settimeout(within)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def metrics_text(server):
    status, _, text = server.request("GET", "/metrics", token=None, raw=True)
    assert status == 200, status
    return text.decode()


def sample(text, name, **labels):
    """The value of the sample `name{labels}` in Prometheus text, or None."""
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    line_re = re.compile(r"^" + re.escape(name) + (r"\{" + re.escape(want) + r"\}" if want else "") + r" (\S+)$", re.M)
    m = line_re.search(text)
    return float(m.group(1)) if m else None


class MetricsAndAccessLog(unittest.TestCase):
    def setUp(self):
        self.server = serve_for(self)

    def test_metrics_show_the_traffic_the_server_served(self):
        restaurant = register_restaurant(self.server)
        put_menu(self.server, restaurant)
        for _ in range(3):
            place_order(self.server, restaurant)
        self.server.get("/v1/orders/not-an-id")

        async def with_socket():
            ws = await ws_connect(self.server)
            try:
                await ws.recv()  # authenticated
                return metrics_text(self.server)
            finally:
                await ws.close()
        text = asyncio.run(with_socket())
        self.assertEqual(sample(text, "comanda_http_requests_total", method="POST", route="/v1/orders", status="201"), 3)
        self.assertEqual(sample(text, "comanda_http_requests_total", method="GET", route="/v1/orders/{id}", status="404"), 1)
        self.assertEqual(sample(text, "comanda_http_request_duration_seconds_count", method="POST", route="/v1/orders"), 3)
        self.assertEqual(sample(text, "comanda_events_appended_total", type="order_placed"), 3)
        self.assertEqual(sample(text, "comanda_events_appended_total", type="restaurant_registered"), 1)
        self.assertEqual(sample(text, "comanda_committed_position"), self.server.position())
        self.assertGreaterEqual(sample(text, "comanda_batch_events_count"), 5)
        self.assertEqual(sample(text, "comanda_batch_events_sum"), self.server.position())
        self.assertGreaterEqual(sample(text, "comanda_wal_sync_seconds_count"), 1)
        self.assertEqual(sample(text, "comanda_ws_subscribers"), 1)
        self.assertEqual(sample(text, "comanda_ws_dropped_total"), 0)
        self.assertGreaterEqual(sample(text, "comanda_http_connections"), 1)
        self.assertEqual(sample(text, "comanda_orders_in_memory"), 3)
        self.assertGreater(sample(text, "comanda_memory_allocated_bytes"), 1_000_000)
        # Every family has its TYPE line once.
        for family in ("comanda_http_requests_total", "comanda_http_request_duration_seconds",
                       "comanda_events_appended_total", "comanda_batch_events", "comanda_wal_sync_seconds"):
            self.assertEqual(text.count(f"# TYPE {family} "), 1, family)

    def test_each_request_is_one_access_line(self):
        restaurant = register_restaurant(self.server)
        put_menu(self.server, restaurant)
        order = place_order(self.server, restaurant)
        owner = self.server.token("owner", "someone-else")
        self.server.get(f"/v1/orders/{order['id']}", token=owner)
        self.server.get("/v1/orders/%C3%A9%22quoted", token=None)
        lines = self.access_lines(expect=5)
        placed = [l for l in lines if 'route="/v1/orders"' in l and "status=201" in l]
        self.assertEqual(len(placed), 1, lines)
        self.assertRegex(placed[0], r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info access method="POST" '
                                    r'route="/v1/orders" target="/v1/orders" status=201 ms=\d+\.\d{3} '
                                    r'principal="admin:[^"]+" position=\d+ peer=127\.0\.0\.1$')
        self.assertEqual(int(placed[0].split("position=")[1].split()[0]), self.server.position())
        refused = [l for l in lines if "someone-else" in l]
        self.assertEqual(len(refused), 1, lines)
        self.assertIn('route="/v1/orders/{id}"', refused[0])
        self.assertIn("status=404", refused[0])
        self.assertIn('principal="owner:someone-else"', refused[0])
        odd = [l for l in lines if "quoted" in l]
        self.assertEqual(len(odd), 1, lines)
        self.assertIn(r'target="/v1/orders/%C3%A9%22quoted"', odd[0])

    def access_lines(self, expect):
        deadline = time.monotonic() + DEADLINE
        while True:  # the log is written by its own thread: wait for it, boundedly
            lines = [l for l in self.server.stderr().splitlines() if " access " in l]
            if len(lines) >= expect or time.monotonic() > deadline:
                return lines
            time.sleep(0.05)


class LogLevel(unittest.TestCase):
    def test_warn_writes_no_access_lines(self):
        server = serve_for(self, extra_args=["--log-level", "warn"])
        for _ in range(5):
            self.assertEqual(server.get("/healthz", token=None)[0], 200)
        server.stop()
        self.assertNotIn(" access ", server.stderr())

    def test_an_unknown_level_is_refused_naming_the_choices(self):
        proc = subprocess.run([harness.binary("COMANDAD"), "--dev", "--log-level", "loud"],
                              capture_output=True, text=True, timeout=DEADLINE,
                              env=harness.env_without_comanda())
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("--log-level: must be debug, info, warn, error or off, not 'loud'", proc.stderr)


class RateLimit(unittest.TestCase):
    def test_the_default_limit_is_100_per_second_with_a_burst_of_200(self):
        server = serve_for(self, extra_args=["--rate-limit", "100"])
        owner = server.token("owner", "busy-owner")
        statuses = []
        for _ in range(260):
            status, headers, _ = server.get("/v1/orders", token=owner)
            statuses.append(status)
            if status == 429:
                refusal = headers
                break
        # At most 200 at once plus what refilled meanwhile (100 a second).
        self.assertIn(429, statuses)
        self.assertGreaterEqual(statuses.index(429), 200)
        self.assertEqual(refusal["RateLimit-Limit"], "200")
        self.assertEqual(refusal["RateLimit-Remaining"], "0")
        self.assertEqual(refusal["Retry-After"], "1")

    def test_a_caller_over_its_rate_is_told_when_to_retry_and_others_are_not_slowed(self):
        server = serve_for(self, extra_args=["--rate-limit", "2", "--rate-burst", "3"])
        owner = server.token("owner", "ana")
        seen = [server.get("/v1/orders", token=owner) for _ in range(3)]
        self.assertEqual([s for s, _, _ in seen], [200, 200, 200])
        self.assertEqual([h["RateLimit-Remaining"] for _, h, _ in seen], ["2", "1", "0"])
        self.assertEqual(seen[0][1]["RateLimit-Limit"], "3")
        status, headers, body = server.get("/v1/orders", token=owner)
        self.assertEqual(status, 429, body)
        self.assertEqual(headers["Content-Type"], "application/problem+json")
        self.assertEqual(body["type"], "urn:comanda:problem:rate-limited")
        self.assertIn("owner:ana", body["detail"])
        self.assertGreaterEqual(int(headers["Retry-After"]), 1)
        # Another principal, and the open routes, are not limited by ana's use.
        self.assertEqual(server.get("/v1/orders", token=server.token("owner", "bea"))[0], 200)
        for _ in range(10):
            self.assertEqual(server.get("/healthz", token=None)[0], 200)
        # A refused request writes nothing.
        position = server.position()
        status, _, _ = server.post("/v1/restaurants", harness.restaurant_body(), token=owner)
        self.assertEqual(status, 429)
        self.assertEqual(server.position(), position)
        # After Retry-After, ana is served again.
        time.sleep(int(headers["Retry-After"]) + 0.2)
        self.assertEqual(server.get("/v1/orders", token=owner)[0], 200)
        self.assertGreaterEqual(sample(metrics_text(server), "comanda_http_requests_total",
                                       method="GET", route="/v1/orders", status="429"), 1)

    def test_bad_tokens_count_against_their_address(self):
        server = serve_for(self, extra_args=["--rate-limit", "1", "--rate-burst", "5"])
        statuses = [server.get("/v1/orders", token="not-a-token")[0] for _ in range(8)]
        self.assertEqual(statuses[:5], [401] * 5)
        self.assertIn(429, statuses[5:])

    def test_a_sockets_location_message_is_one_request_however_many_pings(self):
        server = serve_for(self, extra_args=["--rate-limit", "1", "--rate-burst", "3"])
        token = server.token("driver", "luis")
        status, _, driver = server.post("/v1/drivers", {"name": "Luis"}, token=token)
        self.assertEqual(status, 201, driver)

        async def send_batches():
            ws = await ws_connect(server, token=token)
            try:
                await ws.recv()  # authenticated
                answers = []
                for b in range(3):  # the burst, less the sign-up above
                    pings = [{"lat": -12 - i * 1e-5, "lng": -77.0} for i in range(20)]
                    await ws.send(json.dumps({"type": "locations", "id": f"b{b}", "pings": pings}))
                    answers.append(json.loads(await asyncio.wait_for(ws.recv(), DEADLINE)))
                return answers
            finally:
                await ws.close()
        answers = asyncio.run(send_batches())
        self.assertEqual([(a["type"], a["id"]) for a in answers[:2]], [("ack", "b0"), ("ack", "b1")])
        self.assertEqual((answers[2]["type"], answers[2]["status"], answers[2]["id"]), ("error", 429, "b2"))
        self.assertIn("retry after", answers[2]["detail"])

    def test_zero_turns_it_off(self):
        server = serve_for(self, extra_args=["--rate-limit", "0"])
        owner = server.token("owner", "ana")
        for _ in range(300):
            status, headers, _ = server.get("/v1/orders", token=owner)
            self.assertEqual(status, 200)
        self.assertNotIn("RateLimit-Limit", headers)


class ConnectionLimits(unittest.TestCase):
    def test_connections_over_the_cap_are_answered_503_and_the_rest_go_on(self):
        server = serve_for(self, extra_args=["--max-connections", "4"])
        held = [raw_connection(server) for _ in range(4)]
        try:
            for s in held:  # each served: the slots are taken
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                self.assertEqual(read_response(s)[0], 200)
            extra = raw_connection(server)
            status, headers, body = read_response(extra)
            self.assertEqual(status, 503)
            self.assertEqual(headers["retry-after"], "1")
            self.assertEqual(json.loads(body)["type"], "urn:comanda:problem:unavailable")
            self.assertTrue(closed_by_peer(extra, DEADLINE))
            extra.close()
            # The held ones are still served.
            held[0].sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertEqual(read_response(held[0])[0], 200)
            # One closed: a new connection gets its slot (the close is seen
            # by the server shortly, so retry within the deadline).
            held.pop().close()
            deadline = time.monotonic() + DEADLINE
            while True:
                s = raw_connection(server)
                s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
                status, _, body = read_response(s)
                s.close()
                if status == 200 or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            self.assertEqual(status, 200)
            self.assertGreaterEqual(sample(body.decode(), "comanda_http_connections_refused_total"), 1)
        finally:
            for s in held:
                s.close()

    def test_a_request_trickling_in_is_cut_at_the_read_timeout(self):
        server = serve_for(self, extra_args=["--read-timeout", "1", "--idle-timeout", "30"])
        slow = raw_connection(server)
        slow.sendall(b"POST /v1/orders HTTP/1.1\r\nHost: x\r\n")  # and never the rest
        start = time.monotonic()
        self.assertTrue(closed_by_peer(slow, DEADLINE))
        self.assertGreaterEqual(time.monotonic() - start, 0.5)
        slow.close()
        # A client that asks in time is served the same.
        self.assertEqual(server.get("/healthz", token=None)[0], 200)

    def test_an_idle_keep_alive_connection_is_closed_at_the_idle_timeout(self):
        server = serve_for(self, extra_args=["--idle-timeout", "1"])
        s = raw_connection(server)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertEqual(read_response(s)[0], 200)
        self.assertTrue(closed_by_peer(s, DEADLINE))
        s.close()


class Pipelining(unittest.TestCase):
    def test_requests_sent_in_one_write_are_answered_in_order(self):
        server = serve_for(self)
        restaurant = register_restaurant(server)
        put_menu(server, restaurant)
        body = json.dumps(order_body(restaurant)).encode()
        auth = b"Authorization: Bearer " + server.admin_token.encode() + b"\r\n"
        s = raw_connection(server)
        try:
            # A write, a read of what it wrote, and a refusal, in one write.
            s.sendall(b"POST /v1/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + auth +
                      b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body +
                      b"GET /v1/orders?restaurant_id=" + restaurant.encode() + b" HTTP/1.1\r\nHost: x\r\n" + auth +
                      b"\r\nGET /v1/nowhere HTTP/1.1\r\nHost: x\r\n" + auth + b"\r\n")
            responses = Responses(s)
            placed, listed, missing = responses.next(), responses.next(), responses.next()
        finally:
            s.close()
        self.assertEqual(placed[0], 201, placed)
        self.assertEqual(listed[0], 200, listed)
        self.assertEqual([o["id"] for o in json.loads(listed[2])["orders"]], [json.loads(placed[2])["id"]])
        self.assertEqual(missing[0], 404, missing)

    def test_a_request_sent_in_pieces_is_answered_as_one(self):
        # The head cut mid-field and the body in two: what the first read
        # finds is parsed at once, the rest read on with the same parser.
        server = serve_for(self)
        restaurant = register_restaurant(server)
        put_menu(server, restaurant)
        body = json.dumps(order_body(restaurant)).encode()
        request = (b"POST /v1/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   b"Authorization: Bearer " + server.admin_token.encode() + b"\r\n"
                   b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        head_end = request.index(b"\r\n\r\n")
        cuts = [head_end // 2, head_end + 4 + len(body) // 2]
        s = raw_connection(server)
        try:
            for piece in (request[:cuts[0]], request[cuts[0]:cuts[1]], request[cuts[1]:]):
                s.sendall(piece)
                time.sleep(0.1)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            responses = Responses(s)
            placed, health = responses.next(), responses.next()
        finally:
            s.close()
        self.assertEqual(placed[0], 201, placed)
        self.assertEqual(json.loads(placed[2])["restaurant_id"], restaurant)
        self.assertEqual(health[0], 200, health)


class GracefulStop(unittest.TestCase):
    def test_sigterm_finishes_requests_in_hand_closes_the_rest_and_exits_0(self):
        server = TempServer(extra_args=["--shutdown-grace", "15"])
        server.start()
        try:
            restaurant = register_restaurant(server)
            put_menu(server, restaurant)
            body = json.dumps(order_body(restaurant)).encode()
            token = server.admin_token
            # A write whose body is still arriving when the signal comes.
            writer = raw_connection(server)
            writer.sendall(b"POST /v1/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           b"Authorization: Bearer " + token.encode() + b"\r\n"
                           b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body[:10])
            # A readiness probe in the same state.
            probe = raw_connection(server)
            probe.sendall(b"GET /readyz HTTP/1.1\r\nHost: x\r\n")
            # An idle keep-alive connection, and a WebSocket.
            idle = raw_connection(server)
            idle.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertEqual(read_response(idle)[0], 200)

            async def socket_sees_going_away():
                ws = await ws_connect(server)
                await ws.recv()  # authenticated
                await subscribe(ws, "events")
                server.proc.send_signal(signal.SIGTERM)
                import websockets
                try:
                    while True:
                        await asyncio.wait_for(ws.recv(), DEADLINE)
                except websockets.ConnectionClosed as closed:
                    return closed.rcvd.code if closed.rcvd else None
            code = asyncio.run(socket_sees_going_away())
            self.assertEqual(code, 1001)
            self.assertTrue(closed_by_peer(idle, DEADLINE))
            # New connections are no longer taken.
            with self.assertRaises(OSError):
                socket.create_connection(("127.0.0.1", server.port), timeout=2).close()
            # The requests in hand are answered, then their connections closed.
            probe.sendall(b"\r\n")
            status, headers, answer = read_response(probe)
            self.assertEqual(status, 503)
            self.assertEqual(json.loads(answer)["reason"], "the server is stopping")
            writer.sendall(body[10:])
            status, headers, placed = read_response(writer)
            self.assertEqual(status, 201, placed)
            self.assertEqual(headers["connection"], "close")
            order_id = json.loads(placed)["id"]
            self.assertEqual(server.proc.wait(timeout=DEADLINE), 0)
            self.assertEqual(server.stop(), 0)
            for s in (writer, probe, idle):
                s.close()
            # Acknowledged means there after a restart.
            server.start()
            status, _, order = server.get(f"/v1/orders/{order_id}")
            self.assertEqual(status, 200, order)
        finally:
            server.stop()
            server.cleanup()

    def test_a_request_that_never_finishes_does_not_hold_the_stop_past_the_grace(self):
        server = TempServer(extra_args=["--shutdown-grace", "1", "--read-timeout", "60"])
        server.start()
        try:
            stuck = raw_connection(server)
            stuck.sendall(b"POST /v1/orders HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
            time.sleep(0.2)
            start = time.monotonic()
            server.proc.send_signal(signal.SIGTERM)
            self.assertEqual(server.proc.wait(timeout=DEADLINE), 0)
            self.assertLess(time.monotonic() - start, DEADLINE)
            self.assertIn("still open at the shutdown deadline", server.stderr())
            stuck.close()
        finally:
            server.stop()
            server.cleanup()


if __name__ == "__main__":
    unittest.main()
