"""Changing an order over HTTP: PATCH and PUT (Pedido's full replace) while
it is pending, the kitchen's line fulfilment, archiving finished orders and
deleting with a tombstone; the fields the seeds carry (the source app, guest
customers, delivery zone, discount, canceled_at / completed_at,
can_be_cancelled)."""

import unittest

from harness import cli, history_actors, order_body, put_menu, register_restaurant, serve_for


def pickup(rid, **over):
    body = order_body(rid, fulfillment={"type": "pickup"}, payment={"method": "card"}, **over)
    body["items"] = [{"sku": "BURGER", "quantity": 2}]
    return body


class OrderEditsTest(unittest.TestCase):
    def setUp(self):
        # --hot-window 0: finished orders leave memory at once, so that the
        # routes that touch them read them back from the log.
        self.server = serve_for(self, extra_args=["--hot-window", "0"])
        self.owner = self.server.token("owner", "u-owner-1")
        self.customer = self.server.token("customer", "u-cust-1")
        self.rid = register_restaurant(self.server, delivery_fee=500)
        put_menu(self.server, self.rid)
        status, _, self.order = self.server.post("/v1/orders", pickup(self.rid, tip=200), token=self.customer)
        self.assertEqual(status, 201, self.order)
        self.path = f"/v1/orders/{self.order['id']}"

    def call(self, method, path, body=None, token=None, version=None, headers=None):
        headers = dict(headers or {})
        if version is not None:
            headers["If-Match"] = f'"{version}"'
        return self.server.request(method, path, body, headers=headers, token=token or self.owner)

    def set_status(self, status):
        answer = self.call("POST", self.path + "/status", {"status": status})
        self.assertEqual(answer[0], 200, answer[2])
        return answer[2]

    # ---- PATCH and PUT ------------------------------------------------------

    def test_the_customer_changes_a_pending_order_and_it_is_priced_again(self):
        status, headers, changed = self.call("PATCH", self.path, {
            "items": [{"sku": "BURGER", "quantity": 1}, {"sku": "SODA", "quantity": 2}],
            "tip": 0, "notes": "sin sal"}, token=self.customer, version=1)
        self.assertEqual(status, 200, changed)
        self.assertEqual((changed["version"], headers.get("ETag")), (2, '"2"'))
        self.assertEqual([(i["sku"], i["line_total"]["amount"]) for i in changed["items"]],
                         [("BURGER", "1550"), ("SODA", "1000")])
        self.assertEqual((changed["total"]["amount"], changed["notes"]), ("2550", "sin sal"))
        self.assertEqual(changed["reference"], self.order["reference"])
        self.assertEqual(self.server.get(self.path)[2], changed)

    def test_moving_to_delivery_adds_the_fee(self):
        status, _, changed = self.call("PATCH", self.path, {
            "fulfillment": {"type": "delivery", "address": "Calle 1 234"}}, token=self.customer)
        self.assertEqual(status, 200, changed)
        self.assertEqual((changed["delivery_fee"]["amount"], changed["total"]["amount"]), ("500", "3800"))

    def test_discounts_are_the_restaurants(self):
        status, _, problem = self.call("PATCH", self.path, {"discount": 300}, token=self.customer)
        self.assertEqual((status, problem.get("field")), (403, "discount"), problem)
        status, _, changed = self.call("PATCH", self.path, {"discount": 300})
        self.assertEqual((status, changed["discount"]["amount"], changed["total"]["amount"]), (200, "300", "3000"))
        status, _, problem = self.call("PATCH", self.path, {"discount": 999999})
        self.assertEqual((status, problem.get("field")), (422, "discount"), problem)

    def test_bad_patches_are_refused_naming_the_field(self):
        cases = [({"status": "accepted"}, 400, "status"),
                 ({"estado": "PROCESANDO"}, 400, "estado"),
                 ({"tipp": 100}, 400, "tipp"),
                 ({"items": []}, 400, "items"),
                 ({"items": [{"sku": "PIZZA", "quantity": 1}]}, 422, "items[0].sku"),
                 ({"customer": {"id": "u-cust-2"}}, 422, "customer.id"),
                 ({"fulfillment": {"type": "delivery"}}, 400, "fulfillment.address"),
                 ({"payment": {"method": "cash", "cash_tendered": 100}}, 422, "payment.cash_tendered")]
        for body, status, field in cases:
            with self.subTest(body=body):
                got, _, problem = self.call("PATCH", self.path, body, token=self.customer)
                self.assertEqual((got, problem.get("field")), (status, field), problem)
        self.assertIn("/status", self.call("PATCH", self.path, {"status": 7})[2]["detail"])
        self.assertEqual(self.server.get(self.path)[2]["version"], 1)

    def test_only_while_pending_and_at_the_version_the_caller_saw(self):
        status, _, problem = self.call("PATCH", self.path, {"notes": "x"}, version=5)
        self.assertEqual(status, 412, problem)
        self.set_status("accepted")
        status, _, problem = self.call("PATCH", self.path, {"notes": "x"}, token=self.customer)
        self.assertEqual(status, 409, problem)
        self.assertIn("accepted", problem["detail"])
        other = self.server.token("customer", "u-cust-2")
        self.assertEqual(self.call("PATCH", self.path, {"notes": "x"}, token=other)[0], 404)

    def test_put_replaces_the_order_whole(self):
        body = order_body(self.rid, fulfillment={"type": "eat_in"}, payment={"method": "card"}, tip=0)
        body["items"] = [{"sku": "SODA", "quantity": 3}]
        status, _, replaced = self.call("PUT", self.path, body, version=1)
        self.assertEqual(status, 200, replaced)
        self.assertEqual((replaced["fulfillment"]["type"], replaced["total"]["amount"], replaced["version"]),
                         ("eat_in", "1500", 2))
        self.assertEqual(replaced["reference"], self.order["reference"])
        del body["restaurant_id"]  # optional: the order keeps its restaurant
        self.assertEqual(self.call("PUT", self.path, body)[0], 200)
        body["estado"] = "PROCESANDO"
        status, _, problem = self.call("PUT", self.path, body)
        self.assertEqual((status, problem.get("field")), (400, "estado"), problem)
        del body["estado"]
        other = register_restaurant(self.server, series="B002")
        body["restaurant_id"] = other
        status, _, problem = self.call("PUT", self.path, body)
        self.assertEqual((status, problem.get("field")), (422, "restaurant_id"), problem)

    # ---- the kitchen, archive, delete ---------------------------------------

    def test_the_kitchen_marks_lines_made(self):
        status, _, problem = self.call("POST", self.path + "/lines/1/fulfilled", {"quantity": 1})
        self.assertEqual(status, 409, problem)  # pending: nothing is being made yet
        self.set_status("accepted")
        status, _, order = self.call("POST", self.path + "/lines/1/fulfilled", {"quantity": 1})
        self.assertEqual(status, 200, order)
        self.assertEqual((order["items"][0]["fulfilled_quantity"], order["items"][0]["fulfillment_status"]),
                         (1, "partial"))
        order = self.call("POST", self.path + "/lines/1/fulfilled", {"quantity": 2})[2]
        self.assertEqual(order["items"][0]["fulfillment_status"], "fulfilled")
        for line, body, status in [("7", {"quantity": 1}, 404), ("x", {"quantity": 1}, 404),
                                   ("0", {"quantity": 1}, 404),  # lines count from 1
                                   ("1", {"quantity": 3}, 422), ("1", {"quantity": -1}, 400),
                                   ("1", {}, 400)]:
            with self.subTest(line=line, body=body):
                self.assertEqual(self.call("POST", f"{self.path}/lines/{line}/fulfilled", body)[0], status)
        self.assertEqual(self.call("POST", self.path + "/lines/1/fulfilled", {"quantity": 1},
                                   token=self.customer)[0], 403)

    def test_a_finished_order_is_archived_out_of_default_lists(self):
        self.assertEqual(self.call("POST", self.path + "/archive")[0], 409)  # pending
        self.set_status("rejected")  # finished: out of memory at once (--hot-window 0)
        status, _, order = self.call("POST", self.path + "/archive")
        self.assertEqual((status, order["archived"], order["canceled_at"] is not None), (200, True, True))
        self.assertEqual(self.call("POST", self.path + "/archive")[0], 200)  # again: nothing new
        ids = [o["id"] for o in self.server.get("/v1/orders")[2]["orders"]]
        self.assertNotIn(self.order["id"], ids)
        ids = [o["id"] for o in self.server.get("/v1/orders?status=archived")[2]["orders"]]
        self.assertEqual(ids, [self.order["id"]])

    def test_deleting_leaves_a_tombstone_and_the_history(self):
        self.set_status("accepted")  # any status: in progress too
        self.assertEqual(self.call("DELETE", self.path, token=self.customer)[0], 403)
        status, headers, body = self.server.curl("DELETE", self.path, token=self.owner)
        self.assertEqual((status, body), (204, b""))
        self.assertEqual(self.server.get(self.path)[0], 404)
        self.assertEqual(self.call("DELETE", self.path)[0], 404)
        self.assertEqual(self.call("POST", self.path + "/status", {"status": "accepted"})[0], 404)
        self.assertNotIn(self.order["id"], [o["id"] for o in self.server.get("/v1/orders")[2]["orders"]])
        events = [e for (_, _, e) in history_actors(self.server.data_dir, self.order["id"])]
        self.assertEqual(events, ["order_placed", "order_status_changed", "order_deleted"])
        # The audit trail still answers, to the restaurant alone.
        status, _, trail = self.call("GET", self.path + "/events")
        self.assertEqual(status, 200, trail)
        self.assertEqual([(e["type"], e["version"], e["actor"]["role"]) for e in trail["events"]],
                         [("order_placed", 1, "customer"), ("order_status_changed", 2, "owner"),
                          ("order_deleted", 3, "owner")])
        self.assertEqual(trail["events"][0]["data"]["total"]["formatted"], "S/ 33.00")
        positions = [e["position"] for e in trail["events"]]
        self.assertEqual(positions, sorted(positions))
        self.assertEqual(self.call("GET", self.path + "/events", token=self.customer)[0], 403)
        other = self.server.token("owner", "u-owner-2")
        self.assertEqual(self.call("GET", self.path + "/events", token=other)[0], 404)
        self.assertEqual(self.call("GET", "/v1/orders/01a20000-0000-7000-8000-000000000000/events")[0], 404)
        self.assertEqual(self.call("GET", f"/v1/orders/{self.rid}/events")[0], 404)  # a restaurant's stream
        self.server.restart()  # the tombstone holds after a restart too
        self.assertEqual(self.server.get(self.path)[0], 404)

    # ---- fields of the seeds -------------------------------------------------

    def test_the_app_a_guest_and_a_zone(self):
        body = pickup(self.rid, delivery_zone="Salón")
        body["customer"] = {"name": "Mesa 4", "email": "mesa4@example.pe"}
        body["items"][0]["unit_price"] = 1550
        status, _, order = self.call("POST", "/v1/orders", body, headers={"X-App-Id": "pos-tablet-2"})
        self.assertEqual(status, 201, order)
        self.assertEqual((order["app_id"], order["delivery_zone"]), ("pos-tablet-2", "Salón"))
        self.assertEqual(order["customer"], {"id": None, "name": "Mesa 4", "phone": "", "email": "mesa4@example.pe",
                                             "locale": "es", "guest": True, "class": None, "parent": None})
        body["customer"] = {"phone": "+51 999"}
        status, _, problem = self.call("POST", "/v1/orders", body)
        self.assertEqual((status, problem.get("field")), (422, "customer.name"), problem)
        status, _, problem = self.call("POST", "/v1/orders", pickup(self.rid), headers={"X-App-Id": "bad app"})
        self.assertEqual((status, problem.get("field")), (400, "X-App-Id"), problem)

    def test_canteens_times_and_cancel_flag(self):
        self.assertEqual((self.order["can_be_cancelled"], self.order["canceled_at"], self.order["completed_at"]),
                         (True, None, None))
        self.set_status("accepted")
        order = self.set_status("picked_up_by_customer")
        self.assertFalse(order["can_be_cancelled"])
        self.assertEqual(order["completed_at"], order["updated_at"])


if __name__ == "__main__":
    unittest.main()
