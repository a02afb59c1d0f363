"""The built-in pages (web/, docs/realtime.md "Pages") in headless Chromium,
driven over the DevTools protocol (tests/e2e/browser.py): the kitchen board
shows a newly placed order without a reload and steps it with its buttons;
the tracking page's driver marker moves with the driver's pings and its
status follows the order; a wrong token shows an error, never another
tenant's data. The writes come from plain HTTP, as another client's would."""

import asyncio
import unittest

from browser import Browser
from harness import LNG, in_thread, north, order_body, put_menu, register_restaurant, serve_for

LIVE = "document.getElementById('state').textContent === 'live'"


def order_item(order_id):
    return f"document.querySelector('li[data-id=\"{order_id}\"]')"


class PagesTest(unittest.IsolatedAsyncioTestCase):
    def setUp(self):
        self.server = serve_for(self)
        self.owner = self.server.token("owner", "u-owner-1")
        self.customer = self.server.token("customer", "u-cust-1")
        self.driver_token = self.server.token("driver", "u-driver-1")
        self.rid = register_restaurant(self.server, owners=["u-owner-1"], dispatch={"mode": "broadcast"})
        self.other = register_restaurant(self.server, owners=["u-owner-2"], series="B002")
        for rid in (self.rid, self.other):
            put_menu(self.server, rid)

    def place(self, rid=None, token=None):
        body = order_body(rid or self.rid)
        body["customer"]["id"] = "u-cust-1"
        body["fulfillment"]["location"] = {"lat": north(2000), "lng": LNG}
        status, _, order = self.server.post("/v1/orders", body, token=token or self.owner)
        self.assertEqual(status, 201, order)
        return order["id"]

    def step(self, order_id, status, token=None):
        code, _, body = self.server.post(f"/v1/orders/{order_id}/status", {"status": status},
                                         token=token or self.owner)
        self.assertEqual(code, 200, body)

    def ping(self, driver_id, metres):
        status, _, body = self.server.post(f"/v1/drivers/{driver_id}/location",
                                           {"lat": north(metres), "lng": LNG}, token=self.driver_token)
        self.assertEqual(status, 200, body)

    async def test_the_board_shows_a_new_order_without_reload_and_steps_it(self):
        async with Browser() as browser:
            page = await browser.open(self.server.url(f"/board/{self.rid}#token={self.owner}"))
            await page.wait_for(LIVE)
            await page.wait_for("!document.getElementById('empty').hidden")
            self.assertEqual(await page.eval("location.hash"), "", "the token left the address bar")
            await page.eval("window.stillThisDocument = true")

            order_id = await in_thread(self.place)
            await page.wait_for(f"{order_item(order_id)} !== null")
            self.assertTrue(await page.eval("window.stillThisDocument === true"), "no reload")
            text = await page.eval(f"{order_item(order_id)}.textContent")
            self.assertIn("Ana Pérez", text)
            self.assertIn("A001-", text)
            self.assertEqual(await page.eval(f"{order_item(order_id)}.dataset.status"), "pending")
            buttons = await page.eval(f"[...{order_item(order_id)}.querySelectorAll('button')]"
                                      ".map(b => b.dataset.status)")
            self.assertEqual(buttons[:2], ["rejected", "accepted"])

            # Its button steps it; the board follows from the socket.
            await page.eval(f"{order_item(order_id)}.querySelector('button[data-status=\"accepted\"]').click()")
            await page.wait_for(f"{order_item(order_id)}?.dataset.status === 'accepted'")
            status, _, order = await in_thread(self.server.get, f"/v1/orders/{order_id}")
            self.assertEqual((status, order["status"]), (200, "accepted"))
            # Another client's step shows too, and a finished order leaves.
            await in_thread(self.step, order_id, "cancelled")
            await page.wait_for(f"{order_item(order_id)} === null")
            self.assertEqual(await page.eval("document.getElementById('problem').hidden"), True,
                             await page.eval("document.getElementById('problem').textContent"))

    async def test_the_tracking_page_moves_the_driver_marker_with_its_pings(self):
        status, _, driver = self.server.post("/v1/drivers", {"name": "Luis"}, token=self.driver_token)
        self.assertEqual(status, 201, driver)
        driver_id = driver["id"]
        self.ping(driver_id, 100)
        status, _, _ = self.server.request("PUT", f"/v1/drivers/{driver_id}/availability",
                                           {"availability": "available"}, token=self.driver_token)
        self.assertEqual(status, 200)
        order_id = self.place(token=self.customer)
        for s in ("accepted", "ready", "awaiting_driver"):
            self.step(order_id, s)
        status, _, body = self.server.post(f"/v1/orders/{order_id}/accept-delivery", token=self.driver_token)
        self.assertEqual(status, 200, body)
        # Its customer may read where it is now (another customer may not).
        status, _, position = self.server.get(f"/v1/drivers/{driver_id}/position", token=self.customer)
        self.assertEqual((status, position.get("lat")), (200, north(100)), position)
        stranger = self.server.token("customer", "u-cust-9")
        self.assertEqual(self.server.get(f"/v1/drivers/{driver_id}/position", token=stranger)[0], 404)

        async with Browser() as browser:
            page = await browser.open(self.server.url(f"/track/{order_id}#token={self.customer}"))
            await page.wait_for(LIVE)
            for marker in ("restaurant", "destination", "driver"):
                await page.wait_for(f"document.getElementById('{marker}').getAttribute('visibility') === 'visible'")
            self.assertEqual(await page.eval("document.getElementById('status').dataset.status"),
                             "driver_assigned")
            marker = "document.getElementById('driver')"
            self.assertEqual(float(await page.eval(f"{marker}.dataset.lat")), north(100))
            before = await page.eval(f"{marker}.getAttribute('transform')")

            for metres in (900, 1500):
                await in_thread(self.ping, driver_id, metres)
                await page.wait_for(f"Number({marker}.dataset.lat) === {north(metres)}")
                after = await page.eval(f"{marker}.getAttribute('transform')")
                self.assertNotEqual(after, before, "the marker moved")
                before = after
            # The order's steps and the customer's messages follow.
            await in_thread(self.step, order_id, "picked_up", self.driver_token)
            await page.wait_for("document.getElementById('status').dataset.status === 'picked_up'")
            await page.wait_for("document.querySelectorAll('#messages li').length > 0")
            self.assertEqual(await page.eval("document.getElementById('problem').hidden"), True)

    async def test_a_wrong_token_shows_an_error_not_another_tenants_data(self):
        theirs = await in_thread(self.place, self.other, self.server.admin_token)
        other_owner = self.server.token("owner", "u-owner-2")
        await in_thread(self.place)  # on the first restaurant's board
        stranger = self.server.token("customer", "u-cust-9")
        forged = self.owner[:-4] + ("AAAA" if not self.owner.endswith("AAAA") else "BBBB")
        problem = "document.getElementById('problem')"
        async with Browser() as browser:
            # Another restaurant's owner: refused on the socket, no order shown.
            page = await browser.open(self.server.url(f"/board/{self.rid}#token={other_owner}"))
            text = await page.wait_for(f"!{problem}.hidden && {problem}.textContent")
            self.assertIn("no such", text)
            self.assertEqual(await page.eval("document.querySelectorAll('#orders li').length"), 0)
            # A token that fails its signature: the API's 401 detail.
            page = await browser.open(self.server.url(f"/board/{self.rid}#token={forged}"))
            await page.wait_for(f"!{problem}.hidden")
            self.assertEqual(await page.eval("document.querySelectorAll('#orders li').length"), 0)
            # Another customer's order: 404, and nothing of it on the page.
            page = await browser.open(self.server.url(f"/track/{theirs}#token={stranger}"))
            text = await page.wait_for(f"!{problem}.hidden && {problem}.textContent")
            self.assertIn("no such order", text)
            self.assertNotIn("A00", await page.eval("document.body.textContent"))
            # No token: the page asks for one.
            page = await browser.open(self.server.url(f"/track/{theirs}"))
            await page.wait_for("sessionStorage.length === 0 && !document.getElementById('token-form').hidden")


if __name__ == "__main__":
    unittest.main()
