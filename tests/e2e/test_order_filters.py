"""The order list's filters over HTTP, in Canteen's own terms
(`establishment`, `start_date` and `end_date` on the restaurant's local
service date, `payment_method_type` cash/card/credit) and in ours; ambiguous
parameters refused with a problem naming them; every page within its bound,
shown by the comanda_query_rows_examined metric."""

import datetime
import unittest
import zoneinfo

from harness import order_body, put_menu, register_restaurant, serve_for

ZONE = "America/Argentina/Buenos_Aires"


def local_date(days_ahead=0):
    now = datetime.datetime.now(zoneinfo.ZoneInfo(ZONE))
    return (now + datetime.timedelta(days=days_ahead)).date().isoformat()


def in_days(days):
    """A time `days` from now: as RFC 3339, and its local date in ZONE."""
    at = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days)
    return at.strftime("%Y-%m-%dT%H:%M:%SZ"), at.astimezone(zoneinfo.ZoneInfo(ZONE)).date().isoformat()


class OrderFiltersTest(unittest.TestCase):
    def setUp(self):
        self.server = serve_for(self)
        self.owner = self.server.token("owner", "u-owner-1")
        self.rid = register_restaurant(self.server, time_zone=ZONE)
        put_menu(self.server, self.rid)
        status, _, account = self.server.post("/v1/customers", {"user_id": "u-nino", "name": "Tito",
                                                                "restaurant_ids": [self.rid]}, token=self.owner)
        self.assertEqual(status, 201, account)
        status, _, _ = self.server.post(f"/v1/customers/{account['id']}/credit",
                                        {"amount": 100000, "currency": "PEN"}, token=self.owner)
        self.assertEqual(status, 200)
        self.today = local_date()
        self.cash = self.place(payment={"method": "cash", "cash_tendered": 5000})
        self.card = self.place(payment={"method": "card"}, fulfillment={"type": "pickup"})
        self.credit = self.place(payment={"method": "credit"}, fulfillment={"type": "pickup"},
                                 customer={"id": "u-nino", "name": "Tito"}, tip=0)
        scheduled_for, self.preorder_date = in_days(3)
        preorder = dict(order_body(self.rid)["fulfillment"], scheduled_for=scheduled_for)
        self.preorder = self.place(fulfillment=preorder)
        if local_date() != self.today:
            self.skipTest("the local date changed while the orders were placed")

    def place(self, **over):
        status, _, order = self.server.post("/v1/orders", order_body(self.rid, **over), token=self.owner)
        self.assertEqual(status, 201, order)
        return order["id"]

    def ids(self, query, token=None):
        status, headers, body = self.server.get(f"/v1/orders?{query}", token=token or self.owner)
        self.assertEqual(status, 200, body)
        self.assertIn("Comanda-Position", headers)
        return [o["id"] for o in body["orders"]]

    def refused(self, query):
        status, headers, problem = self.server.get(f"/v1/orders?{query}", token=self.owner)
        self.assertEqual(status, 400, f"{query}: {problem}")
        self.assertTrue(headers["Content-Type"].startswith("application/problem+json"))
        return problem

    def test_canteens_payment_method_type(self):
        est = f"establishment={self.rid}"
        self.assertEqual(self.ids(f"{est}&payment_method_type=credit"), [self.credit])
        self.assertEqual(self.ids(f"{est}&payment_method_type=card"), [self.card])
        self.assertEqual(self.ids(f"{est}&payment_method_type=cash"), [self.preorder, self.cash])
        self.assertEqual(self.ids(f"{est}&payment_method_type=cash,credit"),
                         [self.preorder, self.credit, self.cash])

    def test_canteens_dates_are_the_local_service_date(self):
        est = f"establishment={self.rid}"
        today = [self.credit, self.card, self.cash]
        self.assertEqual(self.ids(f"{est}&start_date={self.today}&end_date={self.today}"), today)
        self.assertEqual(self.ids(f"{est}&end_date={self.today}"), today)
        served = self.preorder_date
        self.assertEqual(self.ids(f"{est}&start_date={served}&end_date={served}"), [self.preorder])
        self.assertEqual(self.ids(f"{est}&start_date={local_date(1)}"), [self.preorder])
        self.assertEqual(self.ids(f"{est}&start_date={local_date(-7)}&end_date={local_date(-1)}"), [])
        # Our names for the same filters, and the dates with the others.
        self.assertEqual(self.ids(f"restaurant_id={self.rid}&from={self.today}&to={self.today}"
                                  f"&payment_method=card&fulfillment=pickup"), [self.card])

    def test_the_customer_and_another_tenants_establishment(self):
        self.assertEqual(self.ids("customer_id=u-nino"), [self.credit])
        other = register_restaurant(self.server, owners=["u-owner-2"])
        owner2 = self.server.token("owner", "u-owner-2")
        status, _, theirs = self.server.post("/v1/orders", order_body(other), token=owner2)
        self.assertEqual(status, 201, theirs)
        self.assertEqual(self.ids(f"establishment={other}"), [])
        self.assertEqual(self.ids(f"establishment={other}", token=owner2), [theirs["id"]])
        # The other owner filtering on our restaurant sees nothing either.
        self.assertEqual(self.ids(f"establishment={self.rid}", token=owner2), [])
        self.assertEqual(self.ids("customer_id=u-cust-1", token=owner2), [theirs["id"]])

    def test_ambiguous_parameters_are_refused_naming_them(self):
        rid = self.rid
        for query, field in [(f"restaurant_id={rid}&establishment={rid}", "establishment"),
                             (f"establishment={rid}&establishment={rid}", "establishment"),
                             ("status=", "status"), ("status=,,", "status"), ("status=pending,", "status"),
                             ("payment_method_type=", "payment_method_type"),
                             ("payment_method_type=bitcoin", "payment_method_type"),
                             ("start_date=2026-13-01", "start_date"),
                             (f"start_date={local_date(1)}&end_date={self.today}", "end_date"),
                             ("start_date=2026-11-24&from=2026-11-24", "from")]:
            problem = self.refused(query)
            self.assertEqual(problem.get("field"), field, query)
            self.assertIn(field, problem["detail"], query)
        # Through curl too: an independent client sees the same problem.
        status, headers, problem = self.server.curl("GET", "/v1/orders?status=,,", token=self.owner)
        self.assertEqual(status, 400)
        self.assertIn("status", problem["detail"])

    def test_todays_stats(self):
        status, _, order = self.server.post(f"/v1/orders/{self.card}/status", {"status": "picked_up_by_customer"},
                                            token=self.owner)
        self.assertEqual(status, 200, order)
        status, _, _ = self.server.post(f"/v1/orders/{self.cash}/status", {"status": "cancelled"}, token=self.owner)
        self.assertEqual(status, 200)
        status, headers, stats = self.server.get(f"/v1/restaurants/{self.rid}/stats", token=self.owner)
        self.assertEqual(status, 200, stats)
        self.assertIn("Comanda-Position", headers)
        self.assertEqual(stats["date"], self.today)
        self.assertEqual(stats["orders"], 3)  # the preorder is served another day
        self.assertEqual(stats["counts"], {"pending": 1, "picked_up_by_customer": 1, "cancelled": 1})
        self.assertEqual(stats["groups"], {"active": 1, "completed": 1, "cancelled": 1, "failed": 0})
        self.assertEqual(stats["revenue"], order["total"])
        status, _, later = self.server.get(f"/v1/restaurants/{self.rid}/stats?date={self.preorder_date}",
                                           token=self.owner)
        self.assertEqual((later["orders"], later["counts"]), (1, {"scheduled": 1}))
        # Another owner: as if there were no such restaurant; a customer: 403.
        self.assertEqual(self.server.get(f"/v1/restaurants/{self.rid}/stats",
                                         token=self.server.token("owner", "u-owner-2"))[0], 404)
        self.assertEqual(self.server.get(f"/v1/restaurants/{self.rid}/stats",
                                         token=self.server.token("customer", "u-cust-1"))[0], 403)
        for query, field in [("date=2026-02-30", "date"), ("day=2026-11-24", "day"),
                             ("date=2026-11-24&date=2026-11-24", "date")]:
            status, _, problem = self.server.get(f"/v1/restaurants/{self.rid}/stats?{query}", token=self.owner)
            self.assertEqual((status, problem.get("field")), (400, field), query)

    def test_a_sparse_filter_pages_within_its_bound(self):
        # 30 more card orders: a cash filter with limit 1 reads at most 10 per
        # page, so it hands back short pages with a cursor until it gets there.
        for _ in range(30):
            self.place(payment={"method": "card"})
        found, cursor, pages = [], None, 0
        while pages < 50:
            query = f"restaurant_id={self.rid}&payment_method=cash&limit=1" + (f"&cursor={cursor}" if cursor else "")
            status, _, body = self.server.get(f"/v1/orders?{query}", token=self.owner)
            self.assertEqual(status, 200, body)
            found += [o["id"] for o in body["orders"]]
            pages += 1
            cursor = body["next_cursor"]
            if cursor is None:
                break
        self.assertEqual(found, [self.preorder, self.cash])
        self.assertGreater(pages, 3, "a page read more than 10 rows")
        status, headers, text = self.server.request("GET", "/metrics", token=None, raw=True)
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/plain"))
        lines = text.decode().splitlines()
        self.assertIn("# TYPE comanda_query_rows_examined histogram", lines)
        counts = [line for line in lines if line.startswith("comanda_query_rows_examined_count ")]
        self.assertEqual(len(counts), 1)
        self.assertGreaterEqual(int(counts[0].split()[1]), pages)
        over = [line for line in lines if line.startswith('comanda_query_rows_examined_bucket{le="10"}')]
        self.assertEqual(int(over[0].split()[1]), int(counts[0].split()[1]),
                         "a page of limit 1 read more than 10 rows")


if __name__ == "__main__":
    unittest.main()
