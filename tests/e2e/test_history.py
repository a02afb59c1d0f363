"""`comanda history ORDER_ID` (docs/operations.md): every event of an order
with its time in the restaurant's zone and in UTC, its actor and role, and
what it changed (lines added or changed, the total before and after, the
status from and to); `--json` is the API's audit trail, each event with its
local time."""

import json
import unittest

from harness import cli, order_body, put_menu, register_restaurant, serve_for


class HistoryTest(unittest.TestCase):
    def setUp(self):
        self.server = serve_for(self)
        self.owner = self.server.token("owner", "u-owner-1")
        self.rid = register_restaurant(self.server, owners=["u-owner-1"])  # America/Lima
        put_menu(self.server, self.rid)

    def test_the_history_of_an_edited_and_stepped_order(self):
        status, _, order = self.server.post("/v1/orders", order_body(self.rid), token=self.owner)
        self.assertEqual(status, 201, order)
        oid = order["id"]
        items = [{"sku": "BURGER", "name": "Hamburguesa", "quantity": 3, "unit_price": 1550},
                 {"sku": "SODA", "name": "Inca Kola 500 ml", "quantity": 1, "unit_price": 500}]
        status, _, edited = self.server.patch(f"/v1/orders/{oid}", {"items": items, "payment": {"method": "card"}},
                                              token=self.owner)
        self.assertEqual(status, 200, edited)
        for step in ("accepted", "ready"):
            status, _, _ = self.server.post(f"/v1/orders/{oid}/status", {"status": step}, token=self.owner)
            self.assertEqual(status, 200)

        out = cli("history", oid, "--data", self.server.data_dir)
        self.assertEqual(out.returncode, 0, out.stderr)
        header, *rows = out.stdout.splitlines()
        self.assertIn("LOCAL TIME (America/Lima)", header)
        self.assertEqual([r.split()[5] for r in rows],
                         ["order_placed", "order_changed", "order_status_changed", "order_status_changed"])
        for row in rows:
            self.assertIn("-05:00", row.split()[1], "Lima's local time")
            self.assertEqual(row.split()[4], "owner:u-owner-1")
        self.assertIn(f"{order['reference']}, pending, 1 line(s), total S/ 39.00", rows[0])
        self.assertIn("BURGER 2->3, +1 SODA, total S/ 39.00 -> " + edited["total"]["formatted"], rows[1])
        self.assertTrue(rows[2].endswith("pending -> accepted"), rows[2])
        self.assertTrue(rows[3].endswith("accepted -> ready"), rows[3])

        # --json: the API's audit trail, each event with its local time.
        out = cli("history", oid, "--data", self.server.data_dir, "--json")
        self.assertEqual(out.returncode, 0, out.stderr)
        shown = json.loads(out.stdout)
        _, _, trail = self.server.get(f"/v1/orders/{oid}/events")
        self.assertEqual([e["event"] for e in shown["events"]], trail["events"])
        self.assertEqual(shown["time_zone"], "America/Lima")
        self.assertTrue(all(e["local_time"].endswith("-05:00") for e in shown["events"]))

    def test_refusals(self):
        self.assertEqual(cli("history", "not-an-id", "--data", self.server.data_dir).returncode, 2)
        missing = cli("history", "0190c2a4-0000-7000-8000-000000000000", "--data", self.server.data_dir)
        self.assertEqual(missing.returncode, 1)
        self.assertIn("no events", missing.stderr)


if __name__ == "__main__":
    unittest.main()
