"""GET /openapi.json: the API's description, built from the route
descriptors. It is an OpenAPI 3.1 document whose references all resolve; it
names every route docs/api.md documents, and every operation in it is one the
server answers; and the check every other e2e test runs on every answer
(openapi_check.py) passes a real order while an order with a member missing,
a member of another type or a member too many fails."""

import copy
import json
import unittest
import uuid

import openapi_check
from harness import place_order, register_restaurant, serve_for

# Every route docs/api.md documents (its {placeholders} as the document names them).
DOCUMENTED = {
    ("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/metrics"), ("GET", "/openapi.json"),
    ("POST", "/v1/restaurants"), ("GET", "/v1/restaurants/{id}"), ("PATCH", "/v1/restaurants/{id}"),
    ("GET", "/v1/restaurants/{id}/stats"),
    ("GET", "/v1/restaurants/{id}/menu"), ("PUT", "/v1/restaurants/{id}/menu"),
    ("GET", "/v1/restaurants/{id}/menu/items/{sku}"), ("PUT", "/v1/restaurants/{id}/menu/items/{sku}"),
    ("PATCH", "/v1/restaurants/{id}/menu/items/{sku}"), ("DELETE", "/v1/restaurants/{id}/menu/items/{sku}"),
    ("POST", "/v1/orders"), ("GET", "/v1/orders"), ("GET", "/v1/orders/active"),
    ("GET", "/v1/orders/{id}"), ("PATCH", "/v1/orders/{id}"), ("PUT", "/v1/orders/{id}"),
    ("DELETE", "/v1/orders/{id}"), ("POST", "/v1/orders/{id}/status"), ("GET", "/v1/orders/{id}/events"),
    ("POST", "/v1/orders/{id}/archive"), ("POST", "/v1/orders/{id}/not-ready"),
    ("POST", "/v1/orders/{id}/lines/{n}/fulfilled"), ("POST", "/v1/orders/{id}/accept-delivery"),
    ("POST", "/v1/orders/{id}/drop-delivery"), ("POST", "/v1/orders/{id}/delivered"),
    ("POST", "/v1/customers"), ("GET", "/v1/customers/{id}"), ("POST", "/v1/customers/{id}/credit"),
    ("POST", "/v1/drivers"), ("GET", "/v1/drivers/{id}"), ("POST", "/v1/drivers/{id}/location"),
    ("GET", "/v1/drivers/{id}/position"), ("PUT", "/v1/drivers/{id}/availability"),
    ("PUT", "/v1/drivers/{id}/active"), ("GET", "/v1/drivers/positions"), ("GET", "/v1/drivers/{id}/panel"),
    ("POST", "/v1/admin/backup"), ("GET", "/board/{id}"), ("GET", "/track/{id}"),
}

ORDER = "#/components/schemas/Order"


def refs(value):
    """Every "$ref" in a JSON value."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "$ref":
                yield v
            else:
                yield from refs(v)
    elif isinstance(value, list):
        for v in value:
            yield from refs(v)


def resolve(document, ref):
    node = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


class OpenApiTest(unittest.TestCase):
    def setUp(self):
        self.server = serve_for(self)
        status, headers, self.document = self.server.get("/openapi.json", token=None)
        self.assertEqual(status, 200, self.document)
        self.description = openapi_check.Description(self.document)

    def operations(self):
        for pattern, item in self.document["paths"].items():
            for method, operation in item.items():
                yield method.upper(), pattern, operation

    def test_it_is_an_openapi_31_document_whose_references_resolve(self):
        self.assertEqual(self.document["openapi"], "3.1.0")
        self.assertEqual(self.document["info"]["title"], "Comanda")
        self.assertTrue(self.document["info"]["version"])
        self.assertEqual(self.document["components"]["securitySchemes"]["bearer"]["scheme"], "bearer")
        for pattern, item in self.document["paths"].items():
            with self.subTest(pattern=pattern):
                self.assertTrue(pattern.startswith("/"))
                self.assertTrue(item, "a path without operations")
                for method, operation in item.items():
                    self.assertIn(method, ("get", "put", "post", "patch", "delete"))
                    self.assertTrue(operation["summary"])
                    self.assertTrue(operation["responses"])
                    placeholders = {s[1:-1] for s in pattern.split("/") if s.startswith("{")}
                    named = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
                    self.assertEqual(named, placeholders)
        for ref in set(refs(self.document)):
            with self.subTest(ref=ref):
                self.assertTrue(ref.startswith("#/components/"))
                resolve(self.document, ref)  # raises KeyError when dangling
        # The schemas are JSON Schema 2020-12.
        from jsonschema import Draft202012Validator
        for name, schema in self.document["components"]["schemas"].items():
            with self.subTest(schema=name):
                Draft202012Validator.check_schema(schema)

    def test_every_documented_route_is_described_and_every_described_one_answers(self):
        described = {(method, pattern) for method, pattern, _ in self.operations()}
        self.assertEqual(DOCUMENTED - described, set(), "routes docs/api.md documents but /openapi.json lacks")
        # Each operation reaches a route: never the router's 404 for an
        # unknown path, nor its 405. Placeholders get a fresh id (absent:
        # a route's own 404), 1 for a line, BURGER for a sku.
        fill = {"{id}": str(uuid.uuid4()), "{n}": "1", "{sku}": "BURGER"}
        for method, pattern, operation in self.operations():
            path = "/".join(fill.get(s, s) for s in pattern.split("/"))
            with self.subTest(method=method, path=path):
                status, _, body = self.server.request(method, path, body=None if method in ("GET", "DELETE") else {})
                self.assertNotEqual(status, 405, body)
                if status == 404:
                    self.assertNotIn("no route for", body["detail"])
                self.assertIn(str(status), operation["responses"])
        # And a path it does not describe is no route at all.
        status, _, body = self.server.get("/v1/nothing-here")
        self.assertEqual((status, body["detail"]), (404, "no route for /v1/nothing-here"))

    def test_an_order_as_served_passes_and_an_altered_one_fails(self):
        rid = register_restaurant(self.server)
        order = place_order(self.server, rid)
        self.assertEqual(self.description.schema_errors(ORDER, order), [])
        # The same through the check the harness runs on every answer.
        body = json.dumps(order).encode()
        self.description.check("POST", "/v1/orders", 201, "application/json", body)

        altered = {
            "a member missing": lambda o: o.pop("status"),
            "a nested member missing": lambda o: o["total"].pop("amount"),
            "a member of another type": lambda o: o.__setitem__("version", "1"),
            "an amount as a number": lambda o: o["total"].__setitem__("amount", 3900),
            "a status that is none": lambda o: o.__setitem__("status", "eaten"),
            "a member too many": lambda o: o.__setitem__("colour", "red"),
            "a misnamed member": lambda o: o.__setitem__("driverId", o.pop("driver_id")),
            "a line with a member too many": lambda o: o["items"][0].__setitem__("price", 1550),
        }
        for what, alter in altered.items():
            with self.subTest(what):
                wrong = copy.deepcopy(order)
                alter(wrong)
                self.assertNotEqual(self.description.schema_errors(ORDER, wrong), [])
                with self.assertRaises(AssertionError) as raised:
                    self.description.check("POST", "/v1/orders", 201, "application/json",
                                           json.dumps(wrong).encode())
                self.assertIn("POST /v1/orders", str(raised.exception))
                self.assertIn("201", str(raised.exception))

    def test_answers_the_description_does_not_allow_fail(self):
        rid = register_restaurant(self.server)
        order = place_order(self.server, rid)
        body = json.dumps(order).encode()
        path = f"/v1/orders/{order['id']}"
        cases = {
            "a status it does not describe": ("GET", path, 418, "application/json", body),
            "another media type": ("GET", path, 200, "text/plain", body),
            "a body that is not JSON": ("GET", path, 200, "application/json", b"<html>"),
            "a problem without its title": ("GET", path, 404, "application/problem+json",
                                            b'{"type": "urn:comanda:problem:not-found", "status": 404, '
                                            b'"detail": "no such order"}'),
            "an order where a problem belongs": ("GET", path, 404, "application/json", body),
            "an unknown path answered 200": ("GET", "/v1/nothing-here", 200, "application/json", body),
        }
        for what, answer in cases.items():
            with self.subTest(what):
                with self.assertRaises(AssertionError):
                    self.description.check(*answer)
        # While the real answers pass.
        status, _, _ = self.server.get(path)
        self.assertEqual(status, 200)
        status, _, problem = self.server.get(f"/v1/orders/{uuid.uuid4()}")
        self.assertEqual(status, 404, problem)

    def test_open_routes_need_no_token_and_the_others_name_their_roles(self):
        for method, pattern, operation in self.operations():
            with self.subTest(method=method, pattern=pattern):
                if operation.get("security") == []:
                    self.assertNotIn("401", operation["responses"])
                else:
                    self.assertIn("401", operation["responses"])
                    self.assertTrue(set(operation["x-roles"]) <= {"admin", "owner", "customer", "driver"})
        self.assertEqual(self.document["paths"]["/v1/drivers/{id}/active"]["put"]["x-roles"], ["admin"])
        self.assertEqual(self.document["paths"]["/openapi.json"]["get"]["security"], [])


if __name__ == "__main__":
    unittest.main()
