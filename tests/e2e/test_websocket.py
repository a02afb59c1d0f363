"""Live events over WebSocket (/v1/ws), with Debian's `websockets` library
(10.x, asyncio client) as an independent client. The sockets here identify
as the admin in the upgrade's Authorization header; test_tenancy covers who
sees what, and first-message authentication."""

import asyncio
import json
import unittest

import harness
from harness import ADMIN_SUB, in_thread, order_body, recv_json, register_restaurant, serve_for, subscribe, ws_connect




async def connect(server):
    """A socket authenticated as the server's admin (upgrade header)."""
    return await ws_connect(server)



async def barrier(ws):
    """The socket's first message, {"type": "authenticated", ...}."""
    msg = await recv_json(ws)
    if msg.get("type") != "authenticated":
        raise AssertionError(f"expected the authenticated message first, got {msg}")
    return msg


class WebSocketTest(unittest.IsolatedAsyncioTestCase):
    def setUp(self):
        self.server = serve_for(self)

    async def asyncSetUp(self):
        self.sockets = []

    async def asyncTearDown(self):
        for ws in self.sockets:
            await asyncio.wait_for(ws.close(), 10)

    async def open_socket(self):
        ws = await connect(self.server)
        self.sockets.append(ws)
        reply = await barrier(ws)
        self.assertEqual(reply, {"type": "authenticated", "subject": ADMIN_SUB, "role": "admin"})
        subscribed = await subscribe(ws, "events")
        self.assertEqual((subscribed["type"], subscribed["topic"]), ("subscribed", "events"), subscribed)
        return ws

    async def collect(self, ws, count):
        out = []
        for _ in range(count):
            out.append(await recv_json(ws))
        return out

    async def test_events_arrive_in_order_on_every_client(self):
        srv = self.server  # the restaurant dispatches nobody: only the writes below are events
        a = await self.open_socket()
        b = await self.open_socket()

        # Register a restaurant, place an order, step its status; note each
        # write's position (the response's Comanda-Position header).
        positions = []
        status, headers, restaurant = await in_thread(srv.post, "/v1/restaurants",
                                                      harness.restaurant_body(dispatch={"mode": "none"}))
        self.assertEqual(status, 201, restaurant)
        positions.append(int(headers["Comanda-Position"]))
        status, headers, order = await in_thread(srv.post, "/v1/orders", order_body(restaurant["id"]))
        self.assertEqual(status, 201, order)
        positions.append(int(headers["Comanda-Position"]))
        steps = ["aceptado", 4, "enviado", "entregado"]
        for s in steps:
            status, headers, body = await in_thread(srv.post, f"/v1/orders/{order['id']}/status", {"status": s})
            self.assertEqual(status, 200, body)
            positions.append(int(headers["Comanda-Position"]))
        # A refused step appends nothing and must not be streamed.
        status, _, _ = await in_thread(srv.post, f"/v1/orders/{order['id']}/status", {"status": "pending"})
        self.assertEqual(status, 409)
        self.assertEqual(positions, list(range(1, len(positions) + 1)), "positions are dense from 1")

        got_a = await self.collect(a, len(positions))
        got_b = await self.collect(b, len(positions))

        for got in (got_a, got_b):
            self.assertEqual([m["position"] for m in got], positions, "in position order, no gaps")
            for m in got:
                self.assertEqual(m["type"], "event", m)
                self.assertEqual(m["topic"], "events", m)
                self.assertTrue({"type", "stream", "version", "data"} <= set(m["event"]), m)

        self.assertEqual(got_a, got_b, "two clients receive the same events")

        placed = got_a[1]["event"]
        self.assertEqual(placed["type"], "order_placed")
        self.assertEqual(placed["stream"], order["id"])
        self.assertEqual(placed["version"], 1)
        self.assertEqual(placed["data"]["reference"], "A001-000001")
        self.assertEqual(placed["data"]["status"], "pending")
        self.assertEqual(placed["data"]["total"]["amount"], "3900")

        changes = [m["event"] for m in got_a[2:]]
        self.assertEqual([e["type"] for e in changes], ["order_status_changed"] * len(steps))
        self.assertEqual([e["stream"] for e in changes], [order["id"]] * len(steps))
        self.assertEqual([e["version"] for e in changes], [2, 3, 4, 5])
        self.assertEqual([(e["data"]["from"], e["data"]["to"]) for e in changes],
                         [("pending", "accepted"), ("accepted", "ready"), ("ready", "awaiting_driver"),
                          ("awaiting_driver", "delivered")])
        self.assertEqual([e["data"]["status_code"] for e in changes], [7, 4, 22, 11])

        # Nothing more is pending on either socket: the next message is the
        # next write, not a duplicate or the refused step.
        status, headers, second = await in_thread(srv.post, "/v1/orders", order_body(restaurant["id"]))
        self.assertEqual(status, 201, second)
        nxt = int(headers["Comanda-Position"])
        self.assertEqual(nxt, positions[-1] + 1)
        for ws in (a, b):
            m = await recv_json(ws)
            self.assertEqual((m["position"], m["event"]["type"], m["event"]["stream"]),
                             (nxt, "order_placed", second["id"]))

    async def test_late_subscriber_gets_only_later_events(self):
        srv = self.server
        rid = await in_thread(register_restaurant, srv)
        first = await in_thread(harness.place_order, srv, rid)
        ws = await self.open_socket()
        status, headers, body = await in_thread(srv.post, f"/v1/orders/{first['id']}/status",
                                                {"status": "accepted"})
        self.assertEqual(status, 200, body)
        m = await recv_json(ws)
        self.assertEqual(m["position"], int(headers["Comanda-Position"]))
        self.assertEqual(m["event"]["type"], "order_status_changed")
        self.assertEqual(m["event"]["stream"], first["id"])

    async def test_many_events_in_a_burst_have_no_gaps(self):
        srv = self.server
        ws = await self.open_socket()
        rid = await in_thread(register_restaurant, srv)
        n = 40

        def place_many():
            return [harness.place_order(srv, rid)["id"] for _ in range(n)]

        # Concurrent writers so that several events share a batch.
        results = await asyncio.gather(*(in_thread(place_many) for _ in range(4)))
        ids = {i for r in results for i in r}
        self.assertEqual(len(ids), 4 * n)
        got = await self.collect(ws, 1 + 4 * n)
        self.assertEqual([m["position"] for m in got], list(range(1, 2 + 4 * n)))
        self.assertEqual({m["event"]["stream"] for m in got[1:]}, ids)
        refs = sorted(m["event"]["data"]["reference"] for m in got[1:])
        self.assertEqual(refs, [f"A001-{i:06d}" for i in range(1, 4 * n + 1)], "references have no gaps")

    async def test_a_bad_client_message_gets_an_error_and_the_stream_goes_on(self):
        srv = self.server
        ws = await self.open_socket()
        await ws.send(json.dumps({"type": "dance", "topic": "events"}))
        reply = await recv_json(ws)
        self.assertEqual((reply.get("type"), reply.get("status"), reply.get("field")), ("error", 400, "type"), reply)
        self.assertIsInstance(reply.get("detail"), str, reply)
        # The socket stays open and keeps streaming.
        status, headers, _ = await in_thread(srv.post, "/v1/restaurants", harness.restaurant_body())
        self.assertEqual(status, 201)
        m = await recv_json(ws)
        self.assertEqual((m["type"], m["position"], m["event"]["type"]),
                         ("event", int(headers["Comanda-Position"]), "restaurant_registered"))
        self.assertEqual(m["event"]["actor"], {"id": ADMIN_SUB, "role": "admin"})

    async def test_upgrade_elsewhere_is_refused(self):
        with self.assertRaises(harness.upgrade_refused_errors()) as ctx:
            await ws_connect(self.server, path="/v1/nope")
        self.assertEqual(harness.refused_upgrade_status(ctx.exception), 404)


if __name__ == "__main__":
    unittest.main()
