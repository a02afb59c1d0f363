"""Restaurants over HTTP: the Location of a new restaurant answers, whole to
its owners and admins and with its public fields to anyone else signed in;
and what a new user met when trying the API (status names in any case, an
empty Idempotency-Key, ids with control characters)."""

import unittest

from harness import order_body, register_restaurant, restaurant_body, serve_for

PUBLIC_FIELDS = {"id", "name", "address", "location", "currency", "version", "paused"}


class RestaurantsTest(unittest.TestCase):
    def setUp(self):
        self.server = serve_for(self)
        self.owner = self.server.token("owner", "u-owner-1")

    def test_the_location_of_a_new_restaurant_answers_whole_to_its_owner(self):
        status, headers, created = self.server.post("/v1/restaurants", restaurant_body(), token=self.owner)
        self.assertEqual(status, 201, created)
        status, got_headers, shown = self.server.get(headers["Location"], token=self.owner)
        self.assertEqual(status, 200, shown)
        self.assertEqual(shown, created)
        self.assertEqual(got_headers.get("ETag"), '"1"')

    def test_anyone_else_signed_in_sees_the_public_fields_only(self):
        rid = register_restaurant(self.server)
        for role, sub in (("owner", "u-owner-2"), ("customer", "u-cust-1"), ("driver", "u-driver-1")):
            with self.subTest(role=role):
                status, _, shown = self.server.get(f"/v1/restaurants/{rid}", token=self.server.token(role, sub))
                self.assertEqual(status, 200, shown)
                self.assertEqual(set(shown), PUBLIC_FIELDS)
                self.assertEqual(shown["name"], "Sede 1")
        status, _, whole = self.server.get(f"/v1/restaurants/{rid}")  # admin
        self.assertIn("owners", whole)
        self.assertIn("tax", whole)

    def test_an_empty_series_is_refused_not_replaced(self):
        status, _, problem = self.server.post("/v1/restaurants", restaurant_body(series=""))
        self.assertEqual((status, problem.get("field")), (400, "series"), problem)
        status, _, made = self.server.post("/v1/restaurants", restaurant_body(series="B7"))
        self.assertEqual((status, made.get("series")), (201, "B7"), made)

    def test_an_absent_or_malformed_restaurant_is_a_404(self):
        for rid in ("01a20000-0000-7000-8000-000000000000", "nope"):
            status, _, body = self.server.get(f"/v1/restaurants/{rid}", token=self.owner)
            self.assertEqual((status, body["detail"]), (404, "no such restaurant"))
        status, _, _ = self.server.get("/v1/restaurants/nope", token=None)
        self.assertEqual(status, 401)

    def test_status_names_match_in_any_case(self):
        rid = register_restaurant(self.server)
        status, _, order = self.server.post("/v1/orders", order_body(rid))
        self.assertEqual(status, 201, order)
        for name, expected in (("ACEPTADO", "accepted"), ("READY", "ready"), ("Cancelled", "cancelled")):
            status, _, body = self.server.post(f"/v1/orders/{order['id']}/status", {"status": name})
            self.assertEqual(status, 200, body)
            self.assertEqual(body["status"], expected)
        status, _, listed = self.server.get(f"/v1/orders?status=Cancelled&restaurant_id={rid}")
        self.assertEqual(status, 200, listed)
        self.assertEqual([o["id"] for o in listed["orders"]], [order["id"]])

    def test_a_refused_step_always_lists_what_is_allowed(self):
        rid = register_restaurant(self.server)
        _, _, order = self.server.post("/v1/orders", order_body(rid))
        self.assertEqual(self.server.post(f"/v1/orders/{order['id']}/status", {"status": "delivered"})[0], 200)
        status, _, body = self.server.post(f"/v1/orders/{order['id']}/status", {"status": "accepted"})
        self.assertEqual(status, 409, body)
        self.assertEqual(body["allowed"], [])

    def test_an_empty_idempotency_key_is_refused_and_appends_nothing(self):
        rid = register_restaurant(self.server)
        position = self.server.position()
        status, _, body = self.server.post("/v1/orders", order_body(rid), headers={"Idempotency-Key": ""})
        self.assertEqual(status, 400, body)
        self.assertEqual(body["field"], "Idempotency-Key")
        self.assertEqual(self.server.position(), position)

    def test_an_id_with_control_characters_is_refused(self):
        rid = register_restaurant(self.server)
        status, _, body = self.server.post(
            "/v1/orders", order_body(rid, customer={"id": "u-cust-A\u0000evil", "name": "x"}))
        self.assertEqual(status, 400, body)
        self.assertEqual(body["field"], "customer.id")
        status, _, body = self.server.post("/v1/restaurants", restaurant_body(owners=["u-owner-1", "u-\u001b"]))
        self.assertEqual((status, body["field"]), (400, "owners[1]"))


if __name__ == "__main__":
    unittest.main()
