// The customer's tracking page (/track/{order_id}): the order's status and
// messages, and its driver moving on a plain drawing between the restaurant
// and the destination, all fed by the socket.
"use strict";

(() => {
  const orderId = Comanda.pathId();
  const statusText = document.getElementById("status");
  const messages = document.getElementById("messages");
  const svg = { restaurant: null, destination: null, driver: null, trail: [] }; // lat/lng points
  const W = 400, H = 300, PAD = 30;
  let live = null;
  let driverTopic = null;

  // An equirectangular fit of every known point into the drawing.
  function projection() {
    const points = [svg.restaurant, svg.destination, svg.driver, ...svg.trail].filter(Boolean);
    let [s, n, w, e] = [90, -90, 180, -180];
    for (const p of points) {
      s = Math.min(s, p.lat); n = Math.max(n, p.lat);
      w = Math.min(w, p.lng); e = Math.max(e, p.lng);
    }
    const kx = Math.cos(((s + n) / 2) * Math.PI / 180);
    const spanX = Math.max((e - w) * kx, 1e-4), spanY = Math.max(n - s, 1e-4);
    const scale = Math.min((W - 2 * PAD) / spanX, (H - 2 * PAD) / spanY);
    const ox = (W - spanX * scale) / 2, oy = (H - spanY * scale) / 2;
    return (p) => [ox + (p.lng - w) * kx * scale, H - oy - (p.lat - s) * scale];
  }

  function place(id, point, at) {
    const g = document.getElementById(id);
    g.setAttribute("visibility", point ? "visible" : "hidden");
    if (!point) return;
    const [x, y] = at(point);
    g.setAttribute("transform", `translate(${x.toFixed(1)} ${y.toFixed(1)})`);
    g.dataset.lat = point.lat;
    g.dataset.lng = point.lng;
  }

  function draw() {
    const at = projection();
    place("restaurant", svg.restaurant, at);
    place("destination", svg.destination, at);
    place("driver", svg.driver, at);
    document.getElementById("trail").setAttribute(
      "points", svg.trail.map((p) => at(p).map((v) => v.toFixed(1)).join(",")).join(" "));
  }

  function moved(lat, lng) {
    svg.driver = { lat, lng };
    svg.trail.push(svg.driver);
    if (svg.trail.length > 500) svg.trail.shift();
    draw();
  }

  function setStatus(status) {
    statusText.textContent = status.replaceAll("_", " ");
    statusText.dataset.status = status;
  }

  async function followDriver(token, driverId) {
    if (driverTopic) live.unfollow(driverTopic);
    driverTopic = driverId ? `drivers/${driverId}/position` : null;
    if (!driverTopic) return;
    live.follow(driverTopic);
    try { // where it is now; later pings come on the socket
      const p = await Comanda.api(token, "GET", `/v1/drivers/${driverId}/position`);
      if (!svg.driver) moved(p.lat, p.lng);
    } catch (e) {
      // No ping yet: the marker appears with the first.
    }
  }

  function message(token, m) {
    if (m.type === "notification") {
      messages.append(Comanda.el("li", { "data-position": String(m.position) }, m.message));
      return;
    }
    const e = m.event;
    if (m.topic === driverTopic) {
      if (e.type === "driver_location_reported") moved(e.data.lat, e.data.lng);
      return;
    }
    if (e.type === "order_status_changed") setStatus(e.data.to);
    else if (e.type === "driver_assigned") followDriver(token, e.data.driver_id);
    else if (e.type === "driver_unassigned") followDriver(token, null);
  }

  async function start(token) {
    let order;
    try {
      order = await Comanda.api(token, "GET", `/v1/orders/${orderId}`);
    } catch (e) {
      return Comanda.showProblem(e.message); // absent, another's, or a bad token
    }
    document.getElementById("title").textContent = `Order ${order.reference}`;
    setStatus(order.status);
    svg.destination = order.fulfillment.location;
    try { // its public fields: name and where it is
      const restaurant = await Comanda.api(token, "GET", `/v1/restaurants/${order.restaurant_id}`);
      svg.restaurant = restaurant.location;
      document.getElementById("title").textContent = `Order ${order.reference}, ${restaurant.name}`;
    } catch (e) {
      // Drawn without it.
    }
    draw();
    live = new Comanda.Live(token, [`orders/${orderId}`], {
      message: (m) => message(token, m),
    });
    if (order.driver_id) followDriver(token, order.driver_id);
  }

  Comanda.withToken(start);
})();
