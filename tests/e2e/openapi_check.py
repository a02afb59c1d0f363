"""Checks comandad's answers against its own description, GET /openapi.json.

The harness (harness.py) fetches the document once per comandad binary, when
a server first starts, and hands every answer that goes through http() or
curl() (so Server.request(), get(), post(), curl(), ...) to check(). An
answer is held to the operation the router would pick for its method and
path (the document's paths in order, a {placeholder} matching any one
non-empty segment, HEAD as GET):

- its status must be one the operation describes;
- its media type must be one the operation gives for that status, and a
  JSON body (application/json, application/problem+json) must be valid
  against that response's schema (JSON Schema 2020-12, Debian's
  python3-jsonschema), so that a member missing, misnamed, extra or of
  another type fails;
- a 204, or any answer to HEAD, has no body to check.

An answer on a path no route has (404) or with a method its path does not
take (405), and what the connection refuses before routing (400, 413, 414,
431, 503), must be a valid problem. A mismatch raises AssertionError naming the
method, path, status and what is wrong.

Set COMANDA_E2E_OPENAPI=0 to turn the checks off (say, to test a binary
older than its description).
"""

import json
import os
import urllib.parse
import urllib.request

ENABLED = os.environ.get("COMANDA_E2E_OPENAPI", "1") != "0"

_METHODS = ("get", "put", "post", "patch", "delete")
_JSON_TYPES = ("application/json", "application/problem+json")
# Answered before any route is chosen (api/http/http_session.cpp and
# server.cpp, the router).
_UNROUTED_STATUSES = (400, 404, 405, 413, 414, 431, 503)

_documents = {}  # binary path -> Description
_servers = {}    # base URL ("http://127.0.0.1:PORT") -> Description

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _segments(path):
    """A path's segments as the router splits it: without the leading '/',
    empty segments kept."""
    return (path[1:] if path.startswith("/") else path).split("/")


class Description:
    """One OpenAPI document, and validators for its schemas."""

    def __init__(self, document):
        self.document = document
        self._validators = {}
        self._operations = []  # (pattern segments, pattern, method, operation), in order
        for pattern, item in document["paths"].items():
            for method, operation in item.items():
                if method in _METHODS:
                    self._operations.append((_segments(pattern), pattern, method.upper(), operation))

    def _validator(self, ref):
        if ref not in self._validators:
            from jsonschema import Draft202012Validator  # Debian's python3-jsonschema
            try:  # jsonschema 4.18 and later resolve references through a registry
                from referencing import Registry, Resource
                from referencing.jsonschema import DRAFT202012
            except ImportError:  # Debian 12's 4.10: a resolver over the document
                from jsonschema import RefResolver
                validator = Draft202012Validator({"$ref": ref},
                                                 resolver=RefResolver.from_schema(self.document))
            else:
                base = "urn:comanda:openapi"
                resource = Resource.from_contents(self.document, default_specification=DRAFT202012)
                validator = Draft202012Validator({"$ref": base + ref},
                                                 registry=Registry().with_resource(base, resource))
            self._validators[ref] = validator
        return self._validators[ref]

    def schema_errors(self, ref, value):
        """The errors of `value` against the schema at `ref`
        ("#/components/schemas/Order"), best first; [] when it is valid."""
        from jsonschema.exceptions import relevance
        return sorted(self._validator(ref).iter_errors(value), key=relevance)

    def route(self, method, path):
        """(pattern, operation) the router would run for `method` on `path`;
        (pattern, None) when the path exists with other methods only;
        (None, None) when no route has the path."""
        segments = _segments(path)
        wanted = "GET" if method == "HEAD" else method
        seen = None
        for pattern_segments, pattern, op_method, operation in self._operations:
            if len(pattern_segments) != len(segments):
                continue
            if not all(p == s or (p.startswith("{") and s) for p, s in zip(pattern_segments, segments)):
                continue
            if op_method == wanted:
                return pattern, operation
            seen = seen or pattern
        return seen, None

    def _response(self, operation, status):
        response = operation["responses"].get(str(status))
        if response and "$ref" in response:  # "#/components/responses/Problem404"
            response = self.document["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
        return response

    def check(self, method, path, status, media_type, body):
        """Raises AssertionError unless the answer (`media_type` without its
        parameters, `body` its bytes) is one the description allows."""
        what = f"{method} {path} answered {status}"
        pattern, operation = self.route(method, path)
        if operation is None:
            if status not in _UNROUTED_STATUSES:
                raise AssertionError(f"{what}: no operation of /openapi.json has this method and path "
                                     f"({'path ' + pattern if pattern else 'no such path'})")
            return self._check_body(what, "#/components/schemas/Problem", "application/problem+json",
                                    media_type, body)
        what = f"{method} {path} ({method if method != 'HEAD' else 'GET'} {pattern}) answered {status}"
        response = self._response(operation, status)
        if response is None:
            raise AssertionError(f"{what}: /openapi.json does not describe this status for it "
                                 f"(it has {', '.join(operation['responses'])}); body: {_excerpt(body)}")
        content = response.get("content") or {}
        if method == "HEAD" or status == 204:
            if body:
                raise AssertionError(f"{what} with a body: {_excerpt(body)}")
            return
        if media_type not in content:
            raise AssertionError(f"{what} with Content-Type {media_type or '(none)'}; /openapi.json gives "
                                 f"{', '.join(content) or 'no body'}: {_excerpt(body)}")
        ref = content[media_type]["schema"]["$ref"]
        return self._check_body(what, ref, media_type, media_type, body)

    def _check_body(self, what, ref, expected_type, media_type, body):
        if media_type != expected_type:
            raise AssertionError(f"{what} with Content-Type {media_type or '(none)'}, not {expected_type}: "
                                 f"{_excerpt(body)}")
        if media_type in _JSON_TYPES:
            try:
                value = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as e:
                raise AssertionError(f"{what} with a body that is not JSON ({e}): {_excerpt(body)}")
        else:
            value = body.decode("utf-8", "replace")
        errors = self.schema_errors(ref, value)
        if errors:
            e = errors[0]
            at = "".join(f"[{p!r}]" for p in e.absolute_path) or "the body"
            raise AssertionError(f"{what}: {at} does not match {ref.rsplit('/', 1)[1]} in /openapi.json: "
                                 f"{e.message} (schema {'/'.join(map(str, e.absolute_schema_path))}); "
                                 f"body: {_excerpt(body)}")


def _excerpt(body, limit=600):
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    return text if len(text) <= limit else text[:limit] + "..."


def fetch(base_url, timeout=10.0):
    """The document a server serves, as a Description."""
    with _OPENER.open(base_url + "/openapi.json", timeout=timeout) as resp:
        return Description(json.loads(resp.read().decode("utf-8")))


def attach(base_url, binary_path):
    """Checks the answers of the server at `base_url` from now on, with the
    description of its binary (fetched from it the first time)."""
    if not ENABLED:
        return
    description = _documents.get(binary_path)
    if description is None:
        description = _documents[binary_path] = fetch(base_url)
    _servers[base_url] = description


def detach(base_url):
    _servers.pop(base_url, None)


def check(method, url, status, content_type, body):
    """Checks one answer, if it came from an attached server (else does
    nothing). `content_type` as the header has it; `body` the raw bytes."""
    if not _servers:
        return
    parts = urllib.parse.urlsplit(url)
    description = _servers.get(f"{parts.scheme}://{parts.netloc}")
    if description is None:
        return
    media_type = (content_type or "").split(";")[0].strip().lower()
    description.check(method.upper(), parts.path, status, media_type, body or b"")
