"""One tenant's lists against another tenant's writes, over HTTP.

Fills restaurant A with N orders (default 390,000; comandad in async mode
for the fill), restarts comandad in sync mode, then measures B's owner
placing orders one at a time and /healthz, first alone and then while 20
connections of A's owner loop GET /v1/orders?status=failed&limit=500 (a
filter nothing matches: the worst case for a list). Prints p50/p99/max of
each. Needs Debian's python3-jwt:

    /usr/bin/python3 bench/tenant_isolation.py [N]
"""
import http.client, json, os, subprocess, sys, tempfile, threading, time, shutil
import jwt

N = int(sys.argv[1]) if len(sys.argv) > 1 else 390000
SECRET = "s" * 48
PORT = 18123
def tok(role, sub):
    return jwt.encode({"sub": sub, "role": role, "exp": int(time.time()) + 3600}, SECRET, algorithm="HS256")
ADMIN, A, B = tok("admin", "root"), tok("owner", "u-a"), tok("owner", "u-b")

def start(data, durability):
    env = dict(os.environ, COMANDA_JWT_SECRET=SECRET)
    p = subprocess.Popen([os.environ.get("COMANDAD", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build", "comandad")), "--data", data, "--listen", f"127.0.0.1:{PORT}",
                          "--durability", durability, "--rate-limit", "0"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    p.stdout.readline()
    return p

def conn():
    return http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)

def req(c, method, path, body=None, token=ADMIN):
    h = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    c.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
    r = c.getresponse(); data = r.read()
    return r.status, data

def order(rid):
    return {"restaurant_id": rid, "customer": {"id": "u-c", "name": "Ana"},
            "items": [{"sku": "B", "name": "Burger", "quantity": 1, "unit_price": 1500}],
            "fulfillment": {"type": "eat_in"}, "payment": {"method": "card"}}

data = tempfile.mkdtemp(prefix="stall-")
p = start(data, "async")
c = conn()
rids = {}
for name, owner in (("A", "u-a"), ("B", "u-b")):
    s, body = req(c, "POST", "/v1/restaurants", {"name": name, "currency": "PEN", "owners": [owner]})
    rids[name] = json.loads(body)["id"]
t0 = time.time()
def fill(k):
    cc = conn()
    for _ in range(N // 8):
        s, _ = req(cc, "POST", "/v1/orders", order(rids["A"]), token=A)
        assert s == 201, s
threads = [threading.Thread(target=fill, args=(k,)) for k in range(8)]
[t.start() for t in threads]; [t.join() for t in threads]
print(f"filled {N // 8 * 8} orders in {time.time() - t0:.0f} s", flush=True)
p.terminate(); p.wait()
p = start(data, "sync")

def measure(seconds):
    post, health = [], []
    end = time.time() + seconds
    cb, ch = conn(), conn()
    while time.time() < end:
        t = time.perf_counter(); s, _ = req(cb, "POST", "/v1/orders", order(rids["B"]), token=B); post.append(time.perf_counter() - t)
        assert s == 201, s
        t = time.perf_counter(); s, _ = req(ch, "GET", "/healthz"); health.append(time.perf_counter() - t)
    def q(v, f): v = sorted(v); return v[min(len(v) - 1, int(len(v) * f))] * 1000
    return (f"B's POST p50 {q(post, .5):.1f} ms p99 {q(post, .99):.1f} ms max {max(post) * 1000:.1f} ms; "
            f"/healthz p50 {q(health, .5):.2f} ms p99 {q(health, .99):.2f} ms max {max(health) * 1000:.1f} ms ({len(post)} each)")

print("quiet:   ", measure(10), flush=True)
stop = False; lists = [0]; list_ms = []
def loop():
    cc = conn()
    while not stop:
        t = time.perf_counter()
        s, _ = req(cc, "GET", "/v1/orders?status=failed&limit=500", token=A)
        list_ms.append(time.perf_counter() - t); lists[0] += 1
looping = [threading.Thread(target=loop) for _ in range(20)]
[t.start() for t in looping]
time.sleep(1)
print("loaded:  ", measure(20), flush=True)
stop = True; [t.join() for t in looping]
ls = sorted(list_ms)
print(f"A's lists: {lists[0]} in ~21 s, p50 {ls[len(ls)//2]*1000:.1f} ms p99 {ls[int(len(ls)*.99)]*1000:.1f} ms", flush=True)
p.terminate(); p.wait()
shutil.rmtree(data)
