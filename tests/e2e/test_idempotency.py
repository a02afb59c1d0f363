"""Idempotency-Key over HTTP: a retried request returns the first result and
appends nothing, also after a restart; the same key for another request is a
409; keys belong to one principal and one route."""

import unittest

from harness import order_body, register_restaurant, serve_for


class IdempotencyTest(unittest.TestCase):
    def setUp(self):
        self.server = serve_for(self)
        self.restaurant = register_restaurant(self.server)
        self.owner = self.server.token("owner", "u-owner-1")

    def place(self, key, token=None, **over):
        kw = {"token": token} if token else {}
        return self.server.post("/v1/orders", order_body(self.restaurant, **over),
                                headers={"Idempotency-Key": key}, **kw)

    def test_a_retry_returns_the_first_order_and_appends_nothing(self):
        status, headers, first = self.place("retry-1")
        self.assertEqual(status, 201, first)
        self.assertNotIn("Idempotent-Replayed", headers)
        position = self.server.position()

        status, headers, again = self.place("retry-1")
        self.assertEqual(status, 201, again)
        self.assertEqual(headers.get("Idempotent-Replayed"), "true")
        self.assertEqual(again["id"], first["id"])
        self.assertEqual(again["reference"], first["reference"])
        self.assertEqual(headers.get("Location"), f"/v1/orders/{first['id']}")
        self.assertEqual(self.server.position(), position, "a replay appended an event")

        status, _, listed = self.server.get(f"/v1/orders?restaurant_id={self.restaurant}")
        self.assertEqual(status, 200)
        self.assertEqual(len(listed["orders"]), 1)

    def test_the_same_key_for_another_request_is_a_conflict(self):
        self.assertEqual(self.place("k")[0], 201)
        position = self.server.position()
        status, headers, body = self.place("k", tip=500)
        self.assertEqual(status, 409, body)
        self.assertEqual(headers.get("Content-Type", "").split(";")[0], "application/problem+json")
        self.assertEqual(body.get("field"), "Idempotency-Key")
        self.assertEqual(self.server.position(), position)

    def test_keys_belong_to_one_principal(self):
        status, _, by_admin = self.place("shared")
        status2, headers, by_owner = self.place("shared", token=self.owner)
        self.assertEqual((status, status2), (201, 201))
        self.assertNotEqual(by_admin["id"], by_owner["id"])
        self.assertNotIn("Idempotent-Replayed", headers)

    def test_keys_belong_to_one_route(self):
        status, _, order = self.place("route-key")
        self.assertEqual(status, 201)
        status, headers, body = self.server.post(f"/v1/orders/{order['id']}/status", {"status": "accepted"},
                                                 headers={"Idempotency-Key": "route-key"})
        self.assertEqual(status, 200, body)
        self.assertNotIn("Idempotent-Replayed", headers)
        self.assertEqual(body["status"], "accepted")

    def test_a_retried_status_change_is_not_applied_twice(self):
        _, _, order = self.place("o")
        path = f"/v1/orders/{order['id']}/status"
        first = self.server.post(path, {"status": "accepted"}, headers={"Idempotency-Key": "s1"})
        self.assertEqual(first[0], 200, first[2])
        again = self.server.post(path, {"status": "accepted"}, headers={"Idempotency-Key": "s1"})
        # Without the key this repeat would be a 409 (accepted cannot become accepted).
        self.assertEqual(again[0], 200, again[2])
        self.assertEqual(again[1].get("Idempotent-Replayed"), "true")
        self.assertEqual(again[2]["version"], 2)

    def test_repeats_are_recognised_after_a_restart(self):
        status, _, first = self.place("survives")
        self.assertEqual(status, 201)
        self.server.restart()
        status, headers, again = self.place("survives")
        self.assertEqual(status, 201, again)
        self.assertEqual(headers.get("Idempotent-Replayed"), "true")
        self.assertEqual(again["id"], first["id"])

    def test_a_malformed_key_is_refused(self):
        for key in ["x" * 256, "has space", "tab\tkey"]:
            with self.subTest(key=key[:20]):
                status, _, body = self.place(key)
                self.assertEqual(status, 400, body)
                self.assertEqual(body.get("field"), "Idempotency-Key")


if __name__ == "__main__":
    unittest.main()
