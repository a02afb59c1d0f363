"""Unhappy paths against the real server: every refusal is an
application/problem+json with the right status, a detail naming the field at
fault, and appends nothing to the log."""

import json
import socket
import subprocess
import time
import unittest
import urllib.error

from harness import (TempServer, binary, env_without_comanda, new_secret, order_body, place_order, register_restaurant,
                     restaurant_body)

MIB = 1 << 20
PROCESS_TIMEOUT = 20  # seconds for a comandad that is expected to exit at once


class BadInputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = TempServer()
        cls.server.__enter__()
        cls.addClassCleanup(cls.server.cleanup)
        cls.rid = register_restaurant(cls.server)
        cls.order = place_order(cls.server, cls.rid)

    def setUp(self):
        self.position = self.server.position()

    # ---- helpers ----------------------------------------------------------

    def assert_problem(self, response, status, field=None, slug=None, detail_has=()):
        """A problem+json with `status`; with `field`, a detail naming it and
        the `field` member; and nothing appended to the log."""
        code, headers, body = response
        self.assertEqual(code, status, body)
        self.assertEqual(headers.get("Content-Type", "").split(";")[0].strip(), "application/problem+json",
                         f"content type of a {status}")
        self.assertIsInstance(body, dict, body)
        self.assertEqual(body.get("status"), status, body)
        self.assertTrue(str(body.get("type", "")).startswith("urn:comanda:problem:"), body)
        if slug:
            self.assertEqual(body["type"], "urn:comanda:problem:" + slug)
        self.assertIsInstance(body.get("title"), str, body)
        self.assertIsInstance(body.get("detail"), str, body)
        self.assertTrue(body["detail"], body)
        if field is not None:
            self.assertEqual(body.get("field"), field, body)
            self.assertIn(field, body["detail"], f"the detail must name {field}")
        for text in detail_has:
            self.assertIn(text, body["detail"])
        self.assertEqual(self.server.position(), self.position, "a refused request must append nothing")
        return body

    def post_order(self, body):
        return self.server.post("/v1/orders", body)

    def good_order(self):
        return order_body(self.rid)

    # ---- malformed bodies -------------------------------------------------

    def test_body_that_is_not_json(self):
        self.assert_problem(self.post_order(b"not json"), 400, slug="invalid-request", detail_has=("JSON",))
        self.assert_problem(self.post_order(b'{"restaurant_id": '), 400, slug="invalid-request")

    def test_body_that_is_not_utf8(self):
        self.assert_problem(self.server.post("/v1/restaurants", b'{"name":"\xff"}'), 400,
                            slug="invalid-request", detail_has=("UTF-8",))
        self.assert_problem(self.post_order(b'{"notes":"\xc3\x28"}'), 400, detail_has=("UTF-8",))

    def test_top_level_array_or_scalar(self):
        for raw in (b"[]", json.dumps([self.good_order()]).encode(), b'"order"', b"42", b"null"):
            with self.subTest(raw=raw[:20]):
                self.assert_problem(self.post_order(raw), 400, detail_has=("object",))

    def test_empty_body(self):
        self.assert_problem(self.post_order(b""), 400, detail_has=("empty",))
        self.assert_problem(self.server.post(f"/v1/orders/{self.order['id']}/status", b""), 400)

    def test_body_over_1_mib_is_413(self):
        body = self.good_order()
        body["pad"] = ""
        body["pad"] = "x" * (MIB + 1 - len(json.dumps(body).encode()))
        raw = json.dumps(body).encode()
        self.assertEqual(len(raw), MIB + 1)
        # curl reads the answer while it still sends.
        self.assert_problem(_curl_as_http(self.server.curl("POST", "/v1/orders", raw)), 413, slug="too-large")
        self.assert_problem(_curl_as_http(self.server.curl("POST", "/v1/orders", b"x" * (4 * MIB))),
                            413, slug="too-large")

    def test_body_over_1_mib_is_413_for_a_client_that_sends_it_all_first(self):
        # urllib (like most simple clients) writes the whole body before it
        # reads. The server must let it finish (or drain) and answer 413,
        # not reset the connection under it (RFC 9112 section 9.6).
        for size in (2 * MIB, 8 * MIB):
            with self.subTest(size=size):
                try:
                    response = self.post_order(b"x" * size)
                except urllib.error.URLError as e:
                    self.fail(f"a {size}-byte body got no HTTP answer, only {e.reason!r}")
                self.assert_problem(response, 413, slug="too-large")

    def test_body_of_exactly_1_mib_is_accepted(self):
        body = self.good_order()
        body["pad"] = ""  # unknown fields are ignored
        body["pad"] = "x" * (MIB - len(json.dumps(body).encode()))
        raw = json.dumps(body).encode()
        self.assertEqual(len(raw), MIB)
        status, _, placed = self.post_order(raw)
        self.assertEqual(status, 201, placed)
        self.assertEqual(self.server.position(), self.position + 1)

    def test_malformed_http(self):
        for raw in (b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", b"HELLO\r\n\r\n"):
            with self.subTest(raw=raw[:30]):
                status, headers, body = raw_exchange(self.server.port, raw)
                self.assertEqual(status, 400, body)
                self.assertEqual(headers.get("content-type"), "application/problem+json")
                self.assertEqual(json.loads(body)["status"], 400)

    def test_long_urls_and_headers_have_their_own_statuses(self):
        close = b"Host: x\r\nConnection: close\r\n"
        cases = [
            (b"GET /v1/orders?x=" + b"a" * 9000 + b" HTTP/1.1\r\n" + close + b"\r\n", 414, "uri-too-long"),
            (b"GET /healthz HTTP/1.1\r\n" + close + b"X-Big: " + b"b" * 20000 + b"\r\n\r\n", 431,
             "headers-too-large"),
            (b"GET /healthz HTTP/1.1\r\n" + close + b"".join(b"X-%d: %s\r\n" % (i, b"c" * 1000)
                                                            for i in range(80)) + b"\r\n", 431,
             "headers-too-large"),
        ]
        for raw, status, slug in cases:
            with self.subTest(status=status, size=len(raw)):
                got, headers, body = raw_exchange(self.server.port, raw)
                self.assertEqual(got, status, body[:200])
                self.assertTrue(json.loads(body)["type"].endswith(slug))
        # Just under the bounds: served.
        status, _, _ = self.server.get("/v1/orders?restaurant_id=" + self.rid + "&x=" + "a" * 7000)
        self.assertEqual(status, 400, "reaches the route (x is unknown), not 414")

    def test_head_is_get_without_the_body(self):
        status, headers, body = raw_exchange(self.server.port,
                                             b"HEAD /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        self.assertEqual(status, 200)
        self.assertEqual(body, b"")
        self.assertGreater(int(headers["content-length"]), 0, "the length a GET would send")
        status, _, _ = raw_exchange(self.server.port,
                                    b"HEAD /v1/admin/backup HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        self.assertEqual(status, 405, "a POST-only route has no HEAD")

    # ---- wrong types and missing fields ------------------------------------

    def test_wrong_types_name_the_field(self):
        def change(path, value):
            body = self.good_order()
            target = body
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
            return body

        cases = [
            (("items", 0, "quantity"), "2", "items[0].quantity"),
            (("items", 0, "quantity"), 1.5, "items[0].quantity"),
            (("items", 0, "quantity"), 0, "items[0].quantity"),
            (("items", 0, "unit_price"), "1550", "items[0].unit_price"),
            (("items", 0, "unit_price"), -1, "items[0].unit_price"),
            (("items", 0, "modifiers", 1, "price"), "300", "items[0].modifiers[1].price"),
            (("items", 0, "modifiers", 0), "No onion", "items[0].modifiers[0]"),
            (("items", 0, "name"), 7, "items[0].name"),
            (("items", 0), "BURGER", "items[0]"),
            (("items",), {"sku": "BURGER"}, "items"),
            (("items",), [], "items"),
            (("customer",), "Ana", "customer"),
            (("customer", "id"), 1, "customer.id"),
            (("tip",), "200", "tip"),
            (("tip",), -5, "tip"),
            (("fulfillment", "location", "lat"), "-12.1", "fulfillment.location.lat"),
            (("fulfillment", "location", "lat"), 91, "fulfillment.location.lat"),
            (("payment", "cash_tendered"), "5000", "payment.cash_tendered"),
            (("payment", "method"), "bitcoin", "payment.method"),
            (("restaurant_id",), 12, "restaurant_id"),
            (("restaurant_id",), "not-an-id", "restaurant_id"),
            (("notes",), ["sin ají"], "notes"),
        ]
        for path, value, field in cases:
            with self.subTest(field=field, value=value):
                self.assert_problem(self.post_order(change(path, value)), 400, field=field, slug="invalid-request")

    def test_missing_fields_name_the_field(self):
        def without(*paths):
            body = self.good_order()
            for path in paths:
                target = body
                for key in path[:-1]:
                    target = target[key]
                del target[path[-1]]
            return body

        cases = [
            ([("restaurant_id",)], "restaurant_id"),
            ([("customer",)], "customer"),
            ([("items",)], "items"),
            # A line names a menu item by sku, or carries a name and a unit_price.
            ([("items", 0, "sku"), ("items", 0, "name")], "items[0].name"),
            ([("items", 0, "sku"), ("items", 0, "unit_price")], "items[0].sku"),
            ([("items", 0, "quantity")], "items[0].quantity"),
            ([("items", 0, "modifiers", 1, "name")], "items[0].modifiers[1].name"),
            ([("fulfillment",)], "fulfillment"),
            ([("fulfillment", "type")], "fulfillment.type"),
            ([("fulfillment", "address")], "fulfillment.address"),  # delivery needs one
            ([("payment",)], "payment"),
            ([("payment", "method")], "payment.method"),
        ]
        for paths, field in cases:
            with self.subTest(field=field):
                self.assert_problem(self.post_order(without(*paths)), 400, field=field, detail_has=("required",))
        # null counts as absent
        body = self.good_order()
        body["customer"] = None
        self.assert_problem(self.post_order(body), 400, field="customer")

        for field in ("name", "currency"):
            with self.subTest(restaurant_field=field):
                body = restaurant_body()
                del body[field]
                self.assert_problem(self.server.post("/v1/restaurants", body), 400, field=field)

    def test_unknown_fulfillment_type(self):
        body = self.good_order()
        body["fulfillment"]["type"] = "teleport"
        problem = self.assert_problem(self.post_order(body), 400, field="fulfillment.type")
        self.assertIn("pickup", problem["detail"], "the detail lists the valid types")

    def test_a_preorder_time_that_is_not_a_time_or_is_past(self):
        for bad, code in (("2030-13-01T12:00:00Z", 400), ("next friday", 400), (1893499200, 400),
                          ("2020-01-01T12:00:00Z", 422)):
            body = self.good_order()
            body["fulfillment"]["scheduled_for"] = bad
            with self.subTest(bad=bad):
                self.assert_problem(self.post_order(body), code, field="fulfillment.scheduled_for")

    def test_unsupported_currency_and_time_zone(self):
        problem = self.assert_problem(self.server.post("/v1/restaurants", restaurant_body(currency="XYZ")), 422,
                                      field="currency", slug="unprocessable")
        self.assertIn("PEN", problem["detail"], "the detail lists the supported currencies")
        self.assert_problem(self.server.post("/v1/restaurants", restaurant_body(currency="PE")), 400,
                            field="currency")
        self.assert_problem(self.server.post("/v1/restaurants", restaurant_body(time_zone="Mars/Olympus")), 422,
                            field="time_zone")
        self.assert_problem(self.server.post("/v1/restaurants", restaurant_body(tax={"rate_bp": 10001})), 400,
                            field="tax.rate_bp")
        self.assert_problem(self.server.post("/v1/restaurants", restaurant_body(series="a-1")), 400,
                            field="series")

    # ---- money -------------------------------------------------------------

    def test_claimed_totals_that_disagree(self):
        body = self.good_order()
        body["total"] = 4000
        problem = self.assert_problem(self.post_order(body), 422, field="total", slug="unprocessable")
        self.assertIn("3900", problem["detail"], "the problem states the computed total")
        body = self.good_order()
        body["subtotal"] = 3500
        problem = self.assert_problem(self.post_order(body), 422, field="subtotal")
        self.assertIn("3700", problem["detail"])
        # Agreeing claims are fine.
        body = self.good_order()
        body["subtotal"], body["total"] = 3700, 3900
        status, _, placed = self.post_order(body)
        self.assertEqual(status, 201, placed)

    def test_cash_that_does_not_cover_the_total(self):
        body = self.good_order()
        body["payment"]["cash_tendered"] = 3899
        problem = self.assert_problem(self.post_order(body), 422, field="payment.cash_tendered")
        self.assertIn("3900", problem["detail"])
        body = self.good_order()
        body["payment"] = {"method": "card", "cash_tendered": 5000}
        self.assert_problem(self.post_order(body), 422, field="payment.cash_tendered")

    def test_amount_overflow_is_422_not_a_wrap(self):
        line = {"name": "Caviar", "quantity": 10000, "unit_price": 10 ** 12,
                "modifiers": [{"name": "Gold leaf", "price": 10 ** 12}] * 50}
        body = self.good_order()
        body["items"] = [line] * 19  # 19 x 5.1e17 > 2^63
        body["payment"] = {"method": "card"}
        self.assert_problem(self.post_order(body), 422, slug="unprocessable")

    def test_integer_beyond_64_bits_names_the_field(self):
        # 2^64 is valid JSON (RFC 8259 sets no limit); it is out of range for
        # an amount, and the user needs to know which field is wrong.
        raw = json.dumps(self.good_order()).replace('"unit_price": 1550', '"unit_price": 18446744073709551616')
        self.assertIn("18446744073709551616", raw)
        self.assert_problem(self.post_order(raw.encode()), 400, field="items[0].unit_price")

    # ---- routes, methods, ids -----------------------------------------------

    def test_unknown_route(self):
        for path in ("/v1/nope", "/", "/v1/orders/x/y/z", "/v2/orders", "/v1/orders/"):
            with self.subTest(path=path):
                self.assert_problem(self.server.get(path), 404, slug="not-found")
        self.assert_problem(self.server.post("/v1/nope", {}), 404)

    def test_wrong_method(self):
        cases = [("DELETE", "/v1/orders", {"GET", "POST"}),
                 ("PUT", f"/v1/orders/{self.order['id']}/status", {"POST"}),
                 ("GET", f"/v1/orders/{self.order['id']}/status", {"POST"}),
                 ("POST", "/healthz", {"GET"}),
                 ("POST", f"/v1/orders/{self.order['id']}", {"GET", "PATCH", "PUT", "DELETE"}),
                 ("GET", "/v1/restaurants", {"POST"})]
        for method, path, allowed in cases:
            with self.subTest(method=method, path=path):
                response = self.server.request(method, path, body={} if method != "GET" else None)
                self.assert_problem(response, 405, slug="method-not-allowed")
                allow = {m.strip() for m in (response[1].get("Allow") or "").split(",") if m.strip()}
                self.assertEqual(allow, allowed, f"Allow header of {method} {path}")

    def test_unknown_or_malformed_order_id(self):
        for oid in ("01a20dbc-0000-7000-8000-000000000000", "zzz", "1234", self.order["id"].upper() + "0"):
            with self.subTest(oid=oid):
                self.assert_problem(self.server.get(f"/v1/orders/{oid}"), 404, slug="not-found")
                self.assert_problem(self.server.post(f"/v1/orders/{oid}/status", {"status": "accepted"}), 404)

    def test_order_at_an_unknown_restaurant(self):
        body = order_body("01a20dbc-0000-7000-8000-000000000000")
        self.assert_problem(self.post_order(body), 404, field="restaurant_id")

    # ---- statuses --------------------------------------------------------------

    def test_unknown_status(self):
        path = f"/v1/orders/{self.order['id']}/status"
        for value in ("flying", "", 99, 6, True, 7.5, None, {"name": "accepted"}):
            with self.subTest(status=value):
                self.assert_problem(self.server.post(path, {"status": value}), 400, field="status")
        self.assert_problem(self.server.post(path, {"reason": "no status"}), 400, field="status")
        # A status of another fulfillment type is not from here: 409.
        problem = self.assert_problem(self.server.post(path, {"status": "picked_up_by_customer"}), 409,
                                      field="status", slug="conflict")
        self.assertIn("accepted", problem["allowed"])
        _, _, order = self.server.get(f"/v1/orders/{self.order['id']}")
        self.assertEqual((order["status"], order["version"]), ("pending", 1))

    def test_malformed_if_match(self):
        path = f"/v1/orders/{self.order['id']}/status"
        for value in ("abc", '"1', "-1"):
            with self.subTest(if_match=value):
                self.assert_problem(self.server.post(path, {"status": "accepted"}, headers={"If-Match": value}),
                                    400, field="If-Match")

    def test_stale_if_match_is_412_even_when_the_step_is_not_allowed_any_more(self):
        # Two kitchen tablets show the order at version 1; both tap "accept".
        # The first wins. The second carries If-Match "1": its precondition
        # failed, so it must learn that the order changed (412), not be told
        # that "accepted cannot become accepted" (409).
        order = place_order(self.server, self.rid)
        path = f"/v1/orders/{order['id']}/status"
        status, _, body = self.server.post(path, {"status": "accepted"}, headers={"If-Match": '"1"'})
        self.assertEqual(status, 200, body)
        self.position = self.server.position()
        self.assert_problem(self.server.post(path, {"status": "accepted"}, headers={"If-Match": '"1"'}),
                            412, field="If-Match", slug="version-mismatch")

    # ---- list queries ------------------------------------------------------------

    def test_bad_list_queries(self):
        cases = [("restuarant_id=" + self.rid, "restuarant_id"), ("restaurant_id=nope", "restaurant_id"),
                 ("limit=0", "limit"), ("limit=501", "limit"), ("limit=ten", "limit"),
                 ("cursor=%21%21", "cursor"), ("cursor=AAAAAAAAAAA", "cursor"), ("status=flying", "status")]
        for query, field in cases:
            with self.subTest(query=query):
                self.assert_problem(self.server.get("/v1/orders?" + query), 400, field=field)

    def test_bytes_that_are_not_utf8_are_never_echoed_raw(self):
        # Every problem body is valid UTF-8 JSON, whatever the request held.
        for query, echoed in (("status=%ff%fe", True), ("%ff%fe=1", True), ("restaurant_id=%c3", False)):
            with self.subTest(query=query):
                status, headers, raw = self.server.request("GET", "/v1/orders?" + query, raw=True)
                self.assertEqual(status, 400)
                problem = json.loads(raw.decode("utf-8"))  # strict: raises on a bad byte
                if echoed:  # the bytes it quotes back, each replaced by U+FFFD
                    self.assertIn("\ufffd\ufffd", problem["detail"])

    # ---- nothing appended, no gaps in references ---------------------------------

    def test_refusals_leave_no_gap_in_references(self):
        _, _, listing = self.server.get(f"/v1/orders?restaurant_id={self.rid}&limit=1")
        last = int(listing["orders"][0]["reference"].split("-")[1])
        bad_total = self.good_order()
        bad_total["total"] = 1
        bad_cash = self.good_order()
        bad_cash["payment"]["cash_tendered"] = 1
        for body in (bad_total, bad_cash, bad_total):
            self.assertEqual(self.post_order(body)[0], 422)
        self.assertEqual(self.server.position(), self.position)
        placed = place_order(self.server, self.rid)
        self.assertEqual(placed["reference"], f"A001-{last + 1:06d}")


class ProcessTest(unittest.TestCase):
    """How comandad and comanda behave as processes."""

    def test_second_server_on_the_same_data_dir_is_refused(self):
        with TempServer() as first:
            register_restaurant(first)
            started = time.monotonic()
            second = subprocess.run([binary("COMANDAD"), "--data", first.data_dir, "--listen", "127.0.0.1:0"],
                                    capture_output=True, text=True, timeout=PROCESS_TIMEOUT,
                                    stdin=subprocess.DEVNULL, env=env_without_comanda(COMANDA_JWT_SECRET=first.secret))
            self.assertLess(time.monotonic() - started, 10, "it must give up at once, not wait for the lock")
            self.assertNotEqual(second.returncode, 0)
            self.assertIn("in use", second.stderr)
            self.assertNotIn("listening", second.stdout)
            # The first is unharmed.
            self.assertEqual(first.position(), 1)
            self.assertEqual(first.stop(), 0)

    def test_unknown_flag_exits_2(self):
        for args in (["--bogus"], ["--listen", "127.0.0.1:99999"], ["--durability", "sometimes"], ["--data"]):
            with self.subTest(args=args):
                # With a valid secret, so that the flag alone is at fault.
                out = subprocess.run([binary("COMANDAD"), *args], capture_output=True, text=True,
                                     timeout=PROCESS_TIMEOUT, stdin=subprocess.DEVNULL,
                                     env=env_without_comanda(COMANDA_JWT_SECRET=new_secret()))
                self.assertEqual(out.returncode, 2, out.stderr)
                self.assertIn(args[0], out.stderr)
                self.assertIn("usage", out.stderr)
        out = subprocess.run([binary("COMANDA"), "verify", "--bogus"], capture_output=True, text=True,
                             timeout=PROCESS_TIMEOUT, stdin=subprocess.DEVNULL)
        self.assertEqual(out.returncode, 2, out.stderr)
        self.assertIn("--bogus", out.stderr)

    def test_unknown_comanda_variable_is_ignored(self):
        with TempServer(env={"COMANDA_NO_SUCH_SETTING": "1"}) as server:
            self.assertEqual(server.get("/healthz")[0], 200)

    def test_bad_comanda_variable_is_an_error(self):
        out = subprocess.run([binary("COMANDAD"), "--listen", "127.0.0.1:0"], capture_output=True, text=True,
                             timeout=PROCESS_TIMEOUT, stdin=subprocess.DEVNULL,
                             env={"PATH": "/usr/bin:/bin", "COMANDA_THREADS": "lots",
                                  "COMANDA_JWT_SECRET": new_secret()})
        self.assertEqual(out.returncode, 2, out.stderr)
        self.assertIn("COMANDA_THREADS", out.stderr)


def _curl_as_http(result):
    """curl's lower-cased headers in the shape assert_problem reads."""
    status, headers, body = result
    return status, {"Content-Type": headers.get("content-type", "")}, body


def raw_exchange(port, raw, timeout=10):
    """Send raw bytes, read the answer until the server closes. Returns
    (status, lower-cased headers, body bytes)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(raw)
        data = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(data) < 1 << 20:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return int(lines[0].split()[1]), headers, body


if __name__ == "__main__":
    unittest.main()
