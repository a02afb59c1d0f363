// The kitchen board (/board/{restaurant_id}): the restaurant's open orders
// with how long each has waited, refreshed whenever the socket says one of
// its orders changed, with a button for each step the caller may take.
"use strict";

(() => {
  const restaurantId = Comanda.pathId();
  const list = document.getElementById("orders");
  const empty = document.getElementById("empty");
  let token = null;
  let loadedAt = 0; // when the board was read: waiting times count from there
  let fetching = false;
  let again = false; // a change arrived while reading: read once more

  function waited(seconds) {
    const m = Math.floor(seconds / 60);
    const s = String(seconds % 60).padStart(2, "0");
    return `${m}:${s}`;
  }

  function tick() {
    const elapsed = Math.floor((Date.now() - loadedAt) / 1000);
    for (const clock of list.querySelectorAll(".waiting")) {
      clock.textContent = waited(Number(clock.dataset.base) + elapsed);
    }
  }

  async function step(order, status, button) {
    button.disabled = true;
    try {
      await Comanda.api(token, "POST", `/v1/orders/${order.id}/status`, { status },
                        { "If-Match": `"${order.version}"` });
      Comanda.showProblem("");
    } catch (e) {
      Comanda.showProblem(`${order.reference}: ${e.message}`);
      button.disabled = false;
    }
    // The socket's event refreshes the board.
  }

  function card(order) {
    const buttons = Comanda.el("div", { class: "actions" });
    for (const status of order.next_statuses) {
      const b = Comanda.el("button", { type: "button", "data-status": status }, status.replaceAll("_", " "));
      b.addEventListener("click", () => step(order, status, b));
      buttons.append(b);
    }
    return Comanda.el(
      "li",
      { class: "card", "data-id": order.id, "data-status": order.status },
      Comanda.el("div", { class: "line" },
        Comanda.el("strong", { class: "reference" }, order.reference),
        Comanda.el("span", { class: "status" }, order.status.replaceAll("_", " ")),
        Comanda.el("span", { class: "waiting", "data-base": String(order.waiting_s) }, waited(order.waiting_s))),
      Comanda.el("div", { class: "line" },
        Comanda.el("span", {}, order.customer_name || "guest"),
        Comanda.el("span", {}, `${order.item_count} item${order.item_count === 1 ? "" : "s"}`),
        Comanda.el("span", {}, order.fulfillment_type.replaceAll("_", " ")),
        Comanda.el("span", { class: "total" }, order.total.formatted)),
      order.notes ? Comanda.el("div", { class: "notes" }, order.notes) : "",
      buttons);
  }

  async function refresh() {
    if (fetching) {
      again = true;
      return;
    }
    fetching = true;
    try {
      do {
        again = false;
        const board = await Comanda.api(token, "GET", `/v1/orders/active?restaurant_id=${restaurantId}`);
        loadedAt = Date.now();
        list.replaceChildren(...board.orders.map(card));
        empty.hidden = board.orders.length > 0;
      } while (again);
    } catch (e) {
      Comanda.showProblem(e.message);
    } finally {
      fetching = false;
    }
  }

  async function start(t) {
    token = t;
    try {
      const restaurant = await Comanda.api(token, "GET", `/v1/restaurants/${restaurantId}`);
      document.getElementById("title").textContent = `${restaurant.name}: kitchen board`;
    } catch (e) {
      return Comanda.showProblem(e.message); // absent, another tenant's, or a bad token
    }
    const topic = `restaurants/${restaurantId}/orders`;
    new Comanda.Live(token, [topic], {
      // Read the board once following: no change is missed between the two.
      subscribed: refresh,
      message: (m) => { if (m.type === "event") refresh(); },
    });
    setInterval(tick, 1000);
  }

  Comanda.withToken(start);
})();
