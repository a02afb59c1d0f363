"""Subscribing `from` a position (docs/realtime.md): the server replays the
topic's events from the log, sends `caught_up`, then goes live, with every
position exactly once and in order, while writers keep appending. Checked
with Debian's `websockets` as an independent client, for the `events` topic
and for one restaurant's orders (exactly its events)."""

import asyncio
import threading
import unittest

from harness import in_thread, order_body, put_menu, recv_json, register_restaurant, serve_for, subscribe, ws_connect

WRITERS, ORDERS = 8, 250  # each order: placed, then accepted: 4,000 events


class CatchUpTest(unittest.IsolatedAsyncioTestCase):
    def setUp(self):
        self.server = serve_for(self, extra_args=["--durability", "async"])
        self.r1 = register_restaurant(self.server, owners=["u-owner-1"])
        self.r2 = register_restaurant(self.server, owners=["u-owner-2"], series="B002")
        for rid in (self.r1, self.r2):
            put_menu(self.server, rid)

    def write(self, n, failures):
        for i in range(ORDERS):
            rid = self.r1 if (n + i) % 2 == 0 else self.r2
            status, _, order = self.server.post("/v1/orders", order_body(rid))
            if status != 201:
                return failures.append((status, order))
            status, _, body = self.server.post(f"/v1/orders/{order['id']}/status", {"status": "accepted"})
            if status != 200:
                return failures.append((status, body))

    async def read_until(self, ws, topic, last_position, deadline_s=120):
        """Messages of `topic` until its events reach `last_position`: (events,
        caught_up); notifications are kept in self.notes."""
        events, caught_up = [], None
        self.notes = []
        loop = asyncio.get_running_loop()
        end = loop.time() + deadline_s
        while not events or events[-1]["position"] < last_position:
            self.assertLess(loop.time(), end, "the topic's events did not all arrive")
            m = await recv_json(ws, timeout=30)
            self.assertEqual(m["topic"], topic, m)
            if m["type"] == "caught_up":
                self.assertIsNone(caught_up, "caught_up twice")
                caught_up = (m["position"], len(events))
            elif m["type"] == "notification":
                self.notes.append(m)
            else:
                self.assertEqual(m["type"], "event", m)
                events.append(m)
        return events, caught_up

    async def test_a_late_subscriber_from_position_1_gets_every_event_once_in_order(self):
        failures = []
        writers = [threading.Thread(target=self.write, args=(n, failures)) for n in range(WRITERS)]
        for w in writers:
            w.start()
        try:
            # Join while the writers are at it.
            loop = asyncio.get_running_loop()
            end = loop.time() + 60
            while await in_thread(self.server.position) < 1000:
                self.assertLess(loop.time(), end)
                await asyncio.sleep(0.05)
            everything = await ws_connect(self.server)
            mine = await ws_connect(self.server, token=self.server.token("owner", "u-owner-1"))
            topic = f"restaurants/{self.r1}/orders"
            for ws, t in ((everything, "events"), (mine, topic)):
                self.assertEqual((await recv_json(ws))["type"], "authenticated")
                answer = await subscribe(ws, t, **{"from": 1})
                self.assertEqual((answer["type"], answer["topic"]), ("subscribed", t), answer)
                self.assertGreaterEqual(answer["position"], 1000, "live delivery had moved on")
        finally:
            for w in writers:
                await in_thread(w.join, 120)
        self.assertEqual(failures, [])
        last = await in_thread(self.server.position)

        events, caught_up = await self.read_until(everything, "events", last)
        positions = [m["position"] for m in events]
        self.assertEqual(positions, list(range(1, last + 1)), "every position once, in order")
        self.assertIsNotNone(caught_up)
        switch, replayed = caught_up
        self.assertEqual(positions[replayed - 1], switch, "caught_up carries the last position replayed")

        # One restaurant's: exactly the events of its orders, from the whole log.
        r1_orders = {m["event"]["stream"] for m in events
                     if m["event"]["type"] == "order_placed" and m["event"]["data"]["restaurant_id"] == self.r1}
        expected = [m["position"] for m in events if m["event"]["stream"] in r1_orders]
        self.assertEqual(len(expected), WRITERS * ORDERS, "half the orders, two events each")
        theirs, caught_up = await self.read_until(mine, topic, expected[-1])
        self.assertEqual([m["position"] for m in theirs], expected)
        self.assertIsNotNone(caught_up)
        # Each new order told the restaurant, replayed or live, once.
        placed = [m["position"] for m in theirs if m["event"]["type"] == "order_placed"]
        self.assertEqual([n["position"] for n in self.notes if n["position"] <= placed[-1]], placed)
        for ws in (everything, mine):
            await asyncio.wait_for(ws.close(), 10)


if __name__ == "__main__":
    unittest.main()
