"""An order's life over HTTP against the real server, across a restart, and
as the command-line tool sees it afterwards."""

import concurrent.futures
import re
import unittest

from harness import cli, order_body, place_order, register_restaurant, serve_for

PEN = "PEN"


def money(amount, formatted):
    return {"amount": str(amount), "currency": PEN, "formatted": formatted}


class OrderLifecycleTest(unittest.TestCase):
    def setUp(self):
        self.server = serve_for(self)

    # ---- helpers ----------------------------------------------------------

    def set_status(self, order_id, status, if_match=None, reason=None):
        body = {"status": status}
        if reason is not None:
            body["reason"] = reason
        headers = {"If-Match": if_match} if if_match is not None else None
        return self.server.post(f"/v1/orders/{order_id}/status", body, headers=headers)

    def assert_problem(self, status, headers, body, expected_status):
        self.assertEqual(status, expected_status, body)
        self.assertEqual(headers.get("Content-Type", "").split(";")[0], "application/problem+json")
        self.assertIsInstance(body, dict, body)
        self.assertEqual(body.get("status"), expected_status)
        for key in ("type", "title", "detail"):
            self.assertIsInstance(body.get(key), str, f"problem lacks {key}: {body}")

    def get_order(self, order_id):
        status, headers, body = self.server.get(f"/v1/orders/{order_id}")
        self.assertEqual(status, 200, body)
        return headers, body

    def list_orders(self, query):
        status, headers, body = self.server.get("/v1/orders?" + query)
        self.assertEqual(status, 200, body)
        self.assertEqual(set(body), {"orders", "next_cursor"}, body)
        return body

    def all_pages(self, query, limit, max_pages=50):
        """Every order of a listing, walked page by page with next_cursor."""
        seen, cursor = [], None
        for _ in range(max_pages):
            q = f"{query}&limit={limit}" + (f"&cursor={cursor}" if cursor else "")
            page = self.list_orders(q)
            self.assertLessEqual(len(page["orders"]), limit)
            seen.extend(o["id"] for o in page["orders"])
            cursor = page["next_cursor"]
            if cursor is None:
                return seen
            self.assertRegex(cursor, r"^[A-Za-z0-9_-]+$", "the cursor must be URL-safe")
            self.assertTrue(page["orders"], "a page with a next_cursor must not be empty")
        self.fail(f"pagination did not end within {max_pages} pages")

    # ---- the test ---------------------------------------------------------

    def test_order_lifecycle_across_restart(self):
        srv = self.server
        # The restaurant's own riders deliver (no offers), so that each step is one version.
        rid = register_restaurant(srv, dispatch={"mode": "none"})

        # Place DESIGN.md's example order.
        status, headers, order = srv.post("/v1/orders", order_body(rid))
        self.assertEqual(status, 201, order)
        oid = order["id"]
        self.assertEqual(headers.get("Location"), f"/v1/orders/{oid}")
        self.assertEqual(headers.get("ETag"), '"1"')
        self.assertEqual(headers.get("Content-Type", "").split(";")[0], "application/json")
        self.assertEqual(order["reference"], "A001-000001")
        self.assertEqual(order["restaurant_id"], rid)
        self.assertEqual(order["status"], "pending")
        self.assertEqual(order["status_code"], 0)
        self.assertEqual(order["version"], 1)
        self.assertRegex(order["placed_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
        self.assertEqual(order["subtotal"], money(3700, "S/ 37.00"))
        self.assertEqual(order["tip"], money(200, "S/ 2.00"))
        self.assertEqual(order["total"], money(3900, "S/ 39.00"))
        # 18% included in 37.00: base round(3700 / 1.18) = 3136, tax 564.
        self.assertEqual(order["tax"], money(564, "S/ 5.64"))
        self.assertEqual(order["payment"]["method"], "cash")
        self.assertEqual(order["payment"]["cash_tendered"], money(5000, "S/ 50.00"))
        self.assertEqual(order["payment"]["change_due"], money(1100, "S/ 11.00"))
        line = order["items"][0]
        self.assertEqual((line["sku"], line["name"], line["quantity"]), ("BURGER", "Hamburguesa", 2))
        self.assertEqual(line["unit_price"], money(1550, "S/ 15.50"))
        self.assertEqual(line["line_total"], money(3700, "S/ 37.00"))
        self.assertEqual([m["name"] for m in line["modifiers"]], ["No onion", "Extra cheese"])
        self.assertEqual(line["modifiers"][1]["price"], money(300, "S/ 3.00"))
        self.assertEqual(order["customer"]["name"], "Ana Pérez")
        self.assertEqual(order["fulfillment"]["type"], "delivery")
        self.assertEqual(order["fulfillment"]["address"], "Calle 1 234")
        self.assertEqual(order["notes"], "sin ají")
        self.assertIsNone(order["driver_id"])

        # Read it back: the same order, with its version as the ETag.
        headers, fetched = self.get_order(oid)
        self.assertEqual(fetched, order)
        self.assertEqual(headers.get("ETag"), '"1"')

        # A second, independent client (curl) sees the same.
        c_status, c_headers, c_body = srv.curl("GET", f"/v1/orders/{oid}")
        self.assertEqual(c_status, 200)
        self.assertEqual(c_headers.get("etag"), '"1"')
        self.assertEqual(c_body, order)

        # Status steps: an alias, a JSON integer code, aliases again.
        steps = [("aceptado", "accepted", 7), (4, "ready", 4),
                 ("enviado", "awaiting_driver", 22)]
        expected_version = 1
        history = [("pending", "accepted"), ("accepted", "ready"), ("ready", "awaiting_driver")]
        for given, canonical, code in steps:
            status, headers, body = self.set_status(oid, given)
            self.assertEqual(status, 200, f"{given!r}: {body}")
            expected_version += 1
            self.assertEqual(body["status"], canonical, given)
            self.assertEqual(body["status_code"], code, given)
            self.assertEqual(body["version"], expected_version)
            self.assertEqual(headers.get("ETag"), f'"{expected_version}"')
            self.assertEqual(body["total"], order["total"], "a status change must not reprice")

        # A backwards step is a 409 listing what is allowed, naming the field.
        before_pos = srv.position()
        status, headers, problem = self.set_status(oid, "pending")
        self.assert_problem(status, headers, problem, 409)
        self.assertEqual(problem.get("field"), "status")
        self.assertIn("status", problem["detail"])
        self.assertIsInstance(problem.get("allowed"), list, problem)
        self.assertIn("delivered", problem["allowed"])
        self.assertIn("cancelled", problem["allowed"])
        self.assertNotIn("pending", problem["allowed"])
        self.assertNotIn("accepted", problem["allowed"])
        self.assertNotIn("picked_up_by_customer", problem["allowed"], "not a delivery status")

        # A stale If-Match is a 412 and changes nothing.
        status, headers, problem = self.set_status(oid, "entregado", if_match='"2"')
        self.assert_problem(status, headers, problem, 412)
        self.assertEqual(srv.position(), before_pos, "a refused command must append nothing")
        _, still = self.get_order(oid)
        self.assertEqual((still["status"], still["version"]), ("awaiting_driver", 4))

        # The current version in If-Match is accepted: delivered, via curl.
        c_status, c_headers, c_body = srv.curl("POST", f"/v1/orders/{oid}/status",
                                               {"status": "entregado"}, headers={"If-Match": '"4"'})
        self.assertEqual(c_status, 200, c_body)
        self.assertEqual((c_body["status"], c_body["status_code"], c_body["version"]), ("delivered", 11, 5))
        self.assertEqual(c_headers.get("etag"), '"5"')
        history.append(("awaiting_driver", "delivered"))

        # Terminal: nothing is allowed any more, not even cancelling.
        status, headers, problem = self.set_status(oid, "cancelado")
        self.assert_problem(status, headers, problem, 409)
        self.assertEqual(problem.get("allowed", []), [])

        # A second order: the next reference in the series, no gaps after the refusals.
        second = place_order(srv, rid, tip=0, payment={"method": "card"},
                             fulfillment={"type": "pickup"})
        self.assertEqual(second["reference"], "A001-000002")
        self.assertEqual(second["total"], money(3700, "S/ 37.00"))
        self.assertIsNone(second["payment"]["change_due"])
        status, _, second = self.set_status(second["id"], "7")  # a numeric string code
        self.assertEqual(status, 200, second)
        self.assertEqual((second["status"], second["status_code"]), ("accepted", 7))

        # Another restaurant's order must not appear in this restaurant's list.
        other_rid = register_restaurant(srv, name="Sede 2", series="B002")
        other = place_order(srv, other_rid)
        self.assertEqual(other["reference"], "B002-000001")

        # Lists: newest first, filtered by restaurant and status.
        listing = self.list_orders(f"restaurant_id={rid}")
        self.assertEqual([o["id"] for o in listing["orders"]], [second["id"], oid])
        self.assertIsNone(listing["next_cursor"])
        self.assertEqual(listing["orders"][1], self.get_order(oid)[1], "list entries are whole orders")
        self.assertEqual([o["id"] for o in self.list_orders(f"establishment={rid}")["orders"]],
                         [second["id"], oid])
        self.assertEqual([o["id"] for o in self.list_orders(f"restaurant_id={rid}&status=accepted")["orders"]],
                         [second["id"]])
        self.assertEqual([o["id"] for o in self.list_orders(f"restaurant_id={rid}&status=entregado")["orders"]],
                         [oid])
        self.assertEqual([o["id"] for o in self.list_orders(f"restaurant_id={rid}&status=completed")["orders"]],
                         [oid], "completed names every completion status")
        self.assertEqual([o["id"] for o in self.list_orders(f"restaurant_id={rid}&status=pending,11,aceptado")["orders"]],
                         [second["id"], oid])
        self.assertEqual(self.list_orders(f"restaurant_id={rid}&status=pending")["orders"], [])
        everyone = self.list_orders("")
        self.assertEqual([o["id"] for o in everyone["orders"]], [other["id"], second["id"], oid])

        # Pagination with limit=1 visits every order once, newest first.
        self.assertEqual(self.all_pages(f"restaurant_id={rid}", 1), [second["id"], oid])
        self.assertEqual(self.all_pages("status=pending,accepted,delivered", 1),
                         [other["id"], second["id"], oid])
        self.assertEqual(self.all_pages("", 2), [other["id"], second["id"], oid])

        # Restart on the same data directory: everything is as it was.
        before = {i: self.get_order(i)[1] for i in (oid, second["id"], other["id"])}
        position = srv.position()
        self.assertEqual(srv.stop(), 0, "comandad must exit 0 on SIGTERM")

        # The tool reads the log while no server runs.
        out = cli("history", oid, "--data", srv.data_dir)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("order_placed", out.stdout)
        self.assertIn("A001-000001", out.stdout)
        self.assertRegex(out.stdout, r"order_placed\s+A001-000001, pending")
        transitions = re.findall(r"order_status_changed\s+(\w+) -> (\w+)", out.stdout)
        self.assertEqual(transitions, history, out.stdout)

        srv.start()
        self.assertIn(f"{position} events", srv.listening_line)
        self.assertEqual(srv.position(), position)
        for i, expected in before.items():
            headers, after = self.get_order(i)
            self.assertEqual(after, expected, f"order {i} changed across a restart")
            self.assertEqual(headers.get("ETag"), f'"{expected["version"]}"')
        self.assertEqual([o["id"] for o in self.list_orders(f"restaurant_id={rid}")["orders"]],
                         [second["id"], oid])

        third = place_order(srv, rid)
        self.assertEqual(third["reference"], "A001-000003")
        self.assertEqual(self.all_pages(f"restaurant_id={rid}", 1), [third["id"], second["id"], oid])

        # The tool works beside the live server (read-only), and the log verifies.
        out = cli("history", oid, "--data", srv.data_dir)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("awaiting_driver -> delivered", out.stdout)
        out = cli("verify", "--data", srv.data_dir)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn(f"{position + 1} events", out.stdout)

    def test_concurrent_steps_with_the_same_if_match_one_wins(self):
        """Eight tablets accept the same order at version 1 at once: exactly
        one wins, exactly one event is appended, the others are refused."""
        rid = register_restaurant(self.server)
        order = place_order(self.server, rid)
        before = self.server.position()
        path = f"/v1/orders/{order['id']}/status"

        def accept(_):
            return self.server.post(path, {"status": "aceptado"}, headers={"If-Match": '"1"'})

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = list(pool.map(accept, range(8), timeout=60))
        statuses = sorted(r[0] for r in results)
        self.assertEqual(statuses.count(200), 1, statuses)
        # The losers should see 412; see test_bad_input's
        # test_stale_if_match_is_412_even_when_the_step_is_not_allowed_any_more.
        self.assertTrue(all(s in (409, 412) for s in statuses if s != 200), statuses)
        self.assertEqual(self.server.position(), before + 1)
        _, now = self.get_order(order["id"])
        self.assertEqual((now["status"], now["version"]), ("accepted", 2))

    def test_history_of_an_unknown_order_fails(self):
        rid = register_restaurant(self.server)
        place_order(self.server, rid)
        out = cli("history", "01a20dbc-0000-7000-8000-000000000000", "--data", self.server.data_dir)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("no events", out.stderr)
        out = cli("history", "not-an-id", "--data", self.server.data_dir)
        self.assertEqual(out.returncode, 2)

    def test_statuses_prints_the_state_machine(self):
        out = cli("statuses")
        self.assertEqual(out.returncode, 0, out.stderr)
        for name, code in (("pending", "0"), ("accepted", "7"), ("ready", "4"),
                           ("awaiting_driver", "22"), ("delivered", "11")):
            self.assertRegex(out.stdout, rf"(?m)^{name}\s+{code}\b")
        self.assertIn("entregado", out.stdout)


if __name__ == "__main__":
    unittest.main()
