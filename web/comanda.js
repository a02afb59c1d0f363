// What the built-in pages share: the caller's token, REST calls, and the
// live socket (docs/realtime.md). Plain browser JavaScript, no libraries.
"use strict";

const Comanda = (() => {
  const TOKEN_KEY = "comanda.token";

  // The token from the page's #token= fragment (then dropped from the
  // address bar), or from this tab's earlier visit; never a query string.
  function takeToken() {
    const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (match) {
      sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
      history.replaceState(null, "", location.pathname);
    }
    return sessionStorage.getItem(TOKEN_KEY);
  }

  // Shows the token form; `start(token)` runs once one is given.
  function askForToken(start) {
    const form = document.getElementById("token-form");
    form.hidden = false;
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const token = form.elements.token.value.trim();
      if (!token) return;
      sessionStorage.setItem(TOKEN_KEY, token);
      form.hidden = true;
      start(token);
    });
  }

  // Runs `start(token)` with the caller's token, asking for it if needed.
  function withToken(start) {
    const token = takeToken();
    if (token) start(token);
    else askForToken(start);
  }

  class ApiError extends Error {
    constructor(status, problem) {
      super(problem.detail || problem.title || `HTTP ${status}`);
      this.status = status;
      this.problem = problem;
    }
  }

  // A REST call as the caller: the parsed body, or an ApiError carrying the
  // problem's detail (RFC 9457).
  async function api(token, method, path, body, headers = {}) {
    const init = { method, headers: { Authorization: `Bearer ${token}`, ...headers } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const res = await fetch(path, init);
    const text = await res.text();
    const parsed = text ? JSON.parse(text) : {};
    if (!res.ok) throw new ApiError(res.status, parsed);
    return parsed;
  }

  // A socket following `topics`: `handlers.message(m)` for each event and
  // notification, `handlers.subscribed(topic)` when a subscription starts;
  // the connection's state goes to the page (showState). It
  // reconnects after a drop, resuming each topic after the last position it
  // received; it gives up for good on a refused token.
  class Live {
    constructor(token, topics, handlers) {
      this.token = token;
      this.topics = new Map(topics.map((t) => [t, 0])); // topic -> last position
      this.handlers = { state: showState, ...handlers };
      this.stopped = false;
      this.connect();
    }

    connect() {
      const scheme = location.protocol === "https:" ? "wss" : "ws";
      this.ws = new WebSocket(`${scheme}://${location.host}/v1/ws`);
      this.handlers.state("connecting…", false);
      this.ws.onopen = () => this.ws.send(JSON.stringify({ type: "auth", token: this.token }));
      this.ws.onmessage = (e) => this.received(JSON.parse(e.data));
      this.ws.onclose = () => {
        if (this.stopped) return;
        this.handlers.state("reconnecting…", false);
        setTimeout(() => this.connect(), 1000);
      };
    }

    follow(topic) {
      if (this.topics.has(topic)) return;
      this.topics.set(topic, 0);
      if (this.ws.readyState === WebSocket.OPEN && this.authenticated) this.subscribe(topic);
    }

    unfollow(topic) {
      if (!this.topics.delete(topic)) return;
      if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: "unsubscribe", topic }));
    }

    subscribe(topic) {
      const last = this.topics.get(topic);
      const message = { type: "subscribe", topic };
      if (last > 0) message.from = last + 1;
      this.ws.send(JSON.stringify(message));
    }

    received(m) {
      switch (m.type) {
        case "authenticated":
          this.authenticated = true;
          this.handlers.state("live", false);
          for (const topic of this.topics.keys()) this.subscribe(topic);
          return;
        case "subscribed":
          if (this.handlers.subscribed) this.handlers.subscribed(m.topic);
          return;
        case "event":
        case "notification":
          if (this.topics.has(m.topic)) this.topics.set(m.topic, m.position);
          this.handlers.message(m);
          return;
        case "error":
          if (m.status === 401) this.stopped = true;
          this.handlers.state(m.detail, true, m);
          return;
        default:
          return; // caught_up, unsubscribed, ack
      }
    }
  }

  // Shows `text` in the page's #problem box; "" hides it.
  function showProblem(text) {
    const box = document.getElementById("problem");
    box.hidden = !text;
    box.textContent = text || "";
  }

  // The connection's state in the page's #state line; a refusal also in
  // the #problem box.
  function showState(text, isError) {
    const line = document.getElementById("state");
    line.textContent = isError ? "refused" : text;
    line.classList.toggle("error", Boolean(isError));
    if (isError) showProblem(text);
  }

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "class") node.className = v;
      else if (k.startsWith("data-")) node.setAttribute(k, v);
      else node[k] = v;
    }
    for (const child of children) node.append(child);
    return node;
  }

  // The id in the page's path: /board/{id}, /track/{id}.
  const pathId = () => location.pathname.split("/").filter(Boolean)[1];

  return { withToken, api, ApiError, Live, showProblem, el, pathId };
})();
