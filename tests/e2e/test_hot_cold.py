"""Finished orders leave the sequencer's memory (here at once: --hot-window 0);
commands on them are still answered exactly as on a live order, from their
state loaded from the log."""

import unittest

from harness import place_order, register_restaurant, serve_for


class HotColdTest(unittest.TestCase):
    def setUp(self):
        self.server = serve_for(self, extra_args=["--hot-window", "0"])
        self.restaurant = register_restaurant(self.server)

    def step(self, order_id, status, **kw):
        return self.server.post(f"/v1/orders/{order_id}/status", {"status": status}, **kw)

    def test_a_finished_order_that_left_memory_still_refuses_a_step_with_409(self):
        order = place_order(self.server, self.restaurant)
        self.assertEqual(self.step(order["id"], "entregado")[0], 200)
        # Another command: its batch evicts the delivered order.
        place_order(self.server, self.restaurant)

        status, _, body = self.step(order["id"], "cancelled")
        self.assertEqual(status, 409, body)
        self.assertIn("delivered", body["detail"])
        self.assertEqual(body.get("allowed", []), [])
        status, headers, body = self.step(order["id"], "cancelled", headers={"If-Match": '"1"'})
        self.assertEqual(status, 412, body)

        status, _, shown = self.server.get(f"/v1/orders/{order['id']}")
        self.assertEqual(status, 200)
        self.assertEqual(shown["status"], "delivered")

    def test_an_absent_order_and_another_tenants_cold_order_answer_the_same_404(self):
        order = place_order(self.server, self.restaurant)
        self.assertEqual(self.step(order["id"], "entregado")[0], 200)
        place_order(self.server, self.restaurant)
        other_owner = self.server.token("owner", "u-owner-2")
        hidden = self.step(order["id"], "cancelled", token=other_owner)
        absent = self.step("01a20000-0000-7000-8000-000000000000", "cancelled", token=other_owner)
        self.assertEqual(hidden[0], 404)
        self.assertEqual((hidden[0], hidden[2]), (absent[0], absent[2]))

    def test_a_cold_order_stays_cold_across_a_restart(self):
        order = place_order(self.server, self.restaurant)
        self.assertEqual(self.step(order["id"], "entregado")[0], 200)
        self.server.restart()
        status, _, body = self.step(order["id"], "accepted")
        self.assertEqual(status, 409, body)
        self.assertIn("delivered", body["detail"])


if __name__ == "__main__":
    unittest.main()
