"""Subscribing `from` a position (docs/realtime.md): the server replays the
topic's events (from the recent events it keeps in memory when few, from
the log otherwise), sends `caught_up`, then goes live, with every position
exactly once and in order, while writers keep appending. Checked with
Debian's `websockets` as an independent client, for the `events` topic and
for one restaurant's orders (exactly its events)."""

import asyncio
import json
import socket
import threading
import unittest

from harness import in_thread, order_body, put_menu, recv_json, register_restaurant, serve_for, subscribe, ws_connect


async def driver_socket(server, name):
    """A new driver's id and a socket of its account, past `authenticated`."""
    token = server.token("driver", f"u-{name}")
    status, _, driver = await in_thread(server.post, "/v1/drivers", {"name": name}, token=token)
    assert status == 201, driver
    ws = await ws_connect(server, token=token)
    assert (await recv_json(ws))["type"] == "authenticated"
    return driver["id"], ws


async def send_pings(ws, batches, size, tag):
    """`batches` messages of `size` pings each, one at a time, each acked."""
    for b in range(batches):
        pings = [{"lat": -12 - (b * size + i) * 1e-6, "lng": -77.0} for i in range(size)]
        await ws.send(json.dumps({"type": "locations", "id": f"{tag}-{b}", "pings": pings}))
        ack = await recv_json(ws, timeout=30)
        assert (ack["type"], ack["id"]) == ("ack", f"{tag}-{b}"), ack


class Reader:
    """Reads one topic's messages from a socket until its events reach the
    last position (known once the writers are done) and it is caught up: the events, the
    notifications, and where `caught_up` came (its position, and how many
    events were before it)."""

    def __init__(self, test, ws, topic):
        self.test, self.ws, self.topic = test, ws, topic
        self.events, self.notes, self.caught_up = [], [], None

    async def read(self, last, deadline_s=240):
        """`last()`: the position to reach, or None while still unknown."""
        loop = asyncio.get_running_loop()
        end = loop.time() + deadline_s
        while True:
            target = last()
            if (target is not None and self.events and self.events[-1]["position"] >= target
                    and self.caught_up is not None):
                return
            self.test.assertLess(loop.time(), end, f"{self.topic}: the events did not all arrive")
            try:
                m = await recv_json(self.ws, timeout=1)
            except asyncio.TimeoutError:
                continue  # nothing more yet: the target may be known now
            self.test.assertEqual(m.get("topic"), self.topic, m)
            if m["type"] == "caught_up":
                self.test.assertIsNone(self.caught_up, "caught_up twice")
                self.caught_up = (m["position"], len(self.events))
            elif m["type"] == "notification":
                self.notes.append(m)
            else:
                self.test.assertEqual(m["type"], "event", m)
                self.events.append(m)


class CatchUpTest(unittest.IsolatedAsyncioTestCase):
    """While 8 writers append about 50,000 events (each writer: orders over
    HTTP, and its driver's pings in batches over a socket), a subscriber
    joins `events` and a restaurant's topic from position 1."""

    WRITERS, ORDERS = 8, 250  # each order: placed, then accepted: 4,000 events
    BATCHES, PINGS = 58, 100  # per writer's driver: 46,400 pings

    def setUp(self):
        self.server = serve_for(self, extra_args=["--durability", "async"])
        self.r1 = register_restaurant(self.server, owners=["u-owner-1"])
        self.r2 = register_restaurant(self.server, owners=["u-owner-2"], series="B002")
        for rid in (self.r1, self.r2):
            put_menu(self.server, rid)

    def write_orders(self, n, failures):
        for i in range(self.ORDERS):
            rid = self.r1 if (n + i) % 2 == 0 else self.r2
            status, _, order = self.server.post("/v1/orders", order_body(rid))
            if status != 201:
                return failures.append((status, order))
            status, _, body = self.server.post(f"/v1/orders/{order['id']}/status", {"status": "accepted"})
            if status != 200:
                return failures.append((status, body))

    async def join_from_1(self, token, topic):
        ws = await ws_connect(self.server, token=token)
        self.assertEqual((await recv_json(ws))["type"], "authenticated")
        answer = await subscribe(ws, topic, **{"from": 1})
        self.assertEqual((answer["type"], answer["topic"]), ("subscribed", topic), answer)
        return ws, answer["position"]

    async def test_a_late_subscriber_from_position_1_gets_every_event_once_in_order(self):
        drivers = [await driver_socket(self.server, f"writer-{n}") for n in range(self.WRITERS)]
        failures, final = [], {}
        writers = [threading.Thread(target=self.write_orders, args=(n, failures)) for n in range(self.WRITERS)]
        for w in writers:
            w.start()
        pinging = asyncio.gather(*(send_pings(ws, self.BATCHES, self.PINGS, f"w{n}")
                                   for n, (_, ws) in enumerate(drivers)))
        # Join while the writers are at it, past what the memory ring holds
        # (16,384 events): the replay reads the log.
        loop = asyncio.get_running_loop()
        end = loop.time() + 120
        while await in_thread(self.server.position) < 20_000:
            self.assertLess(loop.time(), end)
            await asyncio.sleep(0.05)
        topic = f"restaurants/{self.r1}/orders"
        everything, at = await self.join_from_1(self.server.token("admin", "u-admin"), "events")
        mine, _ = await self.join_from_1(self.server.token("owner", "u-owner-1"), topic)
        self.assertGreaterEqual(at, 20_000, "live delivery had moved on")

        async def finish_writing():
            await pinging
            for w in writers:
                await in_thread(w.join, 240)
            final["position"] = await in_thread(self.server.position)

        all_events, r1_events = Reader(self, everything, "events"), Reader(self, mine, topic)
        await asyncio.gather(finish_writing(), all_events.read(lambda: final.get("position")))
        self.assertEqual(failures, [])
        last = final["position"]
        self.assertGreater(last, 50_000)
        positions = [m["position"] for m in all_events.events]
        self.assertEqual(positions, list(range(1, last + 1)), "every position once, in order")
        self.assertIsNotNone(all_events.caught_up)
        switch, replayed = all_events.caught_up
        self.assertEqual(positions[replayed - 1], switch, "caught_up carries the last position replayed")

        # One restaurant's: exactly the events of its orders, from the whole log.
        r1_orders = {m["event"]["stream"] for m in all_events.events
                     if m["event"]["type"] == "order_placed" and m["event"]["data"]["restaurant_id"] == self.r1}
        expected = [m["position"] for m in all_events.events if m["event"]["stream"] in r1_orders]
        self.assertEqual(len(expected), self.WRITERS * self.ORDERS, "half the orders, two events each")
        await r1_events.read(lambda: expected[-1])
        self.assertEqual([m["position"] for m in r1_events.events], expected)
        self.assertIsNotNone(r1_events.caught_up)
        # Each new order told the restaurant, replayed or live, once.
        placed = [m["position"] for m in r1_events.events if m["event"]["type"] == "order_placed"]
        self.assertEqual([n["position"] for n in r1_events.notes if n["position"] <= placed[-1]], placed)
        self.assertGreaterEqual(await in_thread(self.server.metric, "comanda_ws_catch_ups_log_total"), 2)
        for ws in [everything, mine] + [ws for _, ws in drivers]:
            await asyncio.wait_for(ws.close(), 10)


class RecentCatchUpTest(unittest.IsolatedAsyncioTestCase):
    """A short catch-up is answered from the recent events held in memory,
    a long one from the log: the same messages either way."""

    def setUp(self):
        self.server = serve_for(self, extra_args=["--durability", "async", "--ws-ring", "300"])

    async def test_short_catch_ups_come_from_memory_and_match_the_log(self):
        _, pinger = await driver_socket(self.server, "ringer")
        await send_pings(pinger, 5, 100, "a")
        last = await in_thread(self.server.position)
        sockets = []
        for from_position in (last - 49, 1):  # in the ring of 300; long gone from it
            ws = await ws_connect(self.server)
            sockets.append(ws)
            self.assertEqual((await recv_json(ws))["type"], "authenticated")
            answer = await subscribe(ws, "events", **{"from": from_position})
            self.assertEqual((answer["type"], answer["position"]), ("subscribed", last), answer)
        self.assertEqual(await in_thread(self.server.metric, "comanda_ws_catch_ups_memory_total"), 1)
        self.assertEqual(await in_thread(self.server.metric, "comanda_ws_catch_ups_log_total"), 1)
        # Then live, with no gap: 50 more pings.
        await send_pings(pinger, 1, 50, "b")
        readers = [Reader(self, ws, "events") for ws in sockets]
        for r in readers:
            await r.read(lambda: last + 50)
        recent, whole = readers
        self.assertEqual([m["position"] for m in recent.events], list(range(last - 49, last + 51)))
        self.assertEqual([m["position"] for m in whole.events], list(range(1, last + 51)))
        self.assertEqual(whole.events[-100:], recent.events, "the same messages from memory and from the log")
        self.assertEqual((recent.caught_up, whole.caught_up), ((last, 50), (last, last)))
        for ws in sockets + [pinger]:
            await asyncio.wait_for(ws.close(), 10)


class LongCatchUpTest(unittest.IsolatedAsyncioTestCase):
    """A replay that live delivery leaves far behind (more arrives meanwhile
    than the socket's queue of 256 holds) goes on reading, in stretches,
    until it can switch: still every position once, one `caught_up`."""

    def setUp(self):
        self.server = serve_for(self, extra_args=["--durability", "async", "--ws-queue", "256"])

    async def test_a_replay_outrun_by_live_events_goes_on_until_it_catches_up(self):
        _, pinger = await driver_socket(self.server, "before")
        await send_pings(pinger, 30, 100, "a")  # 3,000 events: more than the kernel buffers hold
        before = await in_thread(self.server.position)
        # A small receive buffer, so that the replay waits for the client.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", self.server.port))
        ws = await ws_connect(self.server, sock=sock, max_queue=1)
        self.assertEqual((await recv_json(ws))["type"], "authenticated")
        self.assertEqual((await subscribe(ws, "events", **{"from": 1}))["type"], "subscribed")
        ws.transport.pause_reading()
        await send_pings(pinger, 50, 20, "b")  # 1,000 live events while the client reads nothing
        last = await in_thread(self.server.position)
        ws.transport.resume_reading()
        reader = Reader(self, ws, "events")
        await reader.read(lambda: last)
        self.assertEqual([m["position"] for m in reader.events], list(range(1, last + 1)))
        self.assertIsNotNone(reader.caught_up)
        self.assertGreater(reader.caught_up[0], before, "the replay went on past where it began")
        stretches = sum([await in_thread(self.server.metric, f"comanda_ws_catch_ups_{source}_total")
                         for source in ("memory", "log")])
        self.assertGreaterEqual(stretches, 2)
        for s in (ws, pinger):
            await asyncio.wait_for(s.close(), 10)


if __name__ == "__main__":
    unittest.main()
