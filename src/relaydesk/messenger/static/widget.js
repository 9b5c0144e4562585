/* relaydesk messenger widget, plain JS (docs/widget.md). Server text reaches the page only
 * through textContent or text nodes, never as HTML. */
(() => {
  "use strict";
  const previous = window.relaydesk;
  if (previous && previous.loaded) return;
  const script = document.currentScript || document.querySelector("script[data-relaydesk]");
  if (!script) return;

  const cfg = script.dataset;
  const API = (cfg.api || new URL(script.src, location.href).origin).replace(/\/+$/, "");
  const V1 = API + "/messenger/v1";
  const STORE = "relaydesk:v1:" + API; // token + conversation id, per API origin
  const OPEN_FLAG = STORE + ":open"; // panel open, per tab
  const MAX_TEXT = 4000;
  const NAMES = { visitor: "You", ai: "Assistant", agent: "Support agent", system: "Notice" };
  const STATUS_TEXT = {
    open: "Ask us anything",
    with_agent: "You are chatting with our support team",
    ticketed: "We opened a ticket and will reply by email",
    resolved: "This conversation is resolved",
  };
  const st = {
    jwt: cfg.userJwt || null, token: null, contact: null, settings: {}, // from POST /sessions
    conv: null, // {id, status}
    known: new Set(), // ids of the messages shown: the one de-duplication rule
    lastId: null, // newest message of the history or the stream, for after=
    forceClosed: false, // the server answered 409 to a reply
    ws: null, wsRetry: 0, wsTimer: 0, bootTries: 0,
    gen: 0, // bumped on teardown; stale async work compares it
    creating: null, unread: 0, open: false, wantOpen: false, waiting: 0, typing: new Map(),
  };
  let ui = null;

  const attempt = (fn, fallback) => { try { return fn(); } catch { return fallback; } };
  // with storage disabled the conversation lasts this page only
  const load = () => attempt(() => JSON.parse(localStorage.getItem(STORE)) || {}, {});
  const save = (patch) => attempt(() => localStorage.setItem(STORE, JSON.stringify({ ...load(), ...patch })));
  const clearStore = () => attempt(() => (localStorage.removeItem(STORE), sessionStorage.removeItem(OPEN_FLAG)));
  const openFlag = (on) =>
    attempt(() => (on ? sessionStorage.setItem(OPEN_FLAG, "1") : sessionStorage.removeItem(OPEN_FLAG)));
  const identityOf = (jwt) => {
    if (!jwt) return "anon";
    const claims = attempt(() => JSON.parse(atob(jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))), {});
    return "user:" + (claims.user_id ?? jwt);
  };

  async function api(method, path, body, token = st.token, key) {
    const headers = token ? { Authorization: "Bearer " + token } : {};
    if (key) headers["Idempotency-Key"] = key;
    if (body) headers["Content-Type"] = "application/json";
    const res = await fetch(V1 + path, { method, headers, credentials: "omit", body: JSON.stringify(body) });
    const payload = await res.json().catch(() => null);
    if (!res.ok) throw Object.assign(new Error(payload?.error || "HTTP " + res.status), { status: res.status });
    return payload;
  }
  const convPath = (id) => "/conversations/" + encodeURIComponent(id);

  /* ---- DOM ---- */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value == null || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children) if (child != null) node.append(child);
    return node;
  }
  function icon(d) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    const path = document.createElementNS(ns, "path");
    for (const [k, v] of [["viewBox", "0 0 24 24"], ["aria-hidden", "true"]]) svg.setAttribute(k, v);
    path.setAttribute("d", d);
    svg.append(path);
    return svg;
  }
  function safeUrl(raw) {
    const url = typeof raw === "string" && raw ? attempt(() => new URL(raw, location.href), null) : null;
    return url && (url.protocol === "http:" || url.protocol === "https:") ? url.href : null;
  }
  const link = (href, text) => el("a", { href, target: "_blank", rel: "noopener", text });
  function linkify(text) {
    const parts = [];
    let at = 0;
    for (const match of text.matchAll(/https?:\/\/[^\s<>"']+/g)) {
      const raw = match[0].replace(/[.,;:!?)\]]+$/, "");
      const href = safeUrl(raw);
      if (!href) continue;
      parts.push(text.slice(at, match.index), link(href, raw));
      at = match.index + raw.length;
    }
    parts.push(text.slice(at));
    return parts;
  }

  const ICON_CHAT = "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z";
  const ICON_CLOSE = "M6 5 5 6l6 6-6 6 1 1 6-6 6 6 1-1-6-6 6-6-1-1-6 6z";
  const ICON_SEND = "M3 20.5 21 12 3 3.5v6.6l12 1.9-12 1.9z";

  function buildUi() {
    const host = el("div", { id: "relaydesk-widget", hidden: true });
    if (cfg.color) host.style.setProperty("--rd-accent", cfg.color);
    const root = host.attachShadow({ mode: "open" }); // the page's CSS cannot reach in
    const reveal = () => { // shown once styled: hidden, it could not take focus
      if (!host.hidden || ui?.host !== host) return;
      host.hidden = false;
      focusComposer();
    };
    const sheet = el("link", { rel: "stylesheet", href: API + "/widget.css", onload: reveal, onerror: reveal });
    setTimeout(reveal, 3000);

    const badge = el("span", { class: "rd-badge", hidden: true, "aria-hidden": "true" });
    const launcher = el("button", {
      type: "button", class: "rd-launcher", "aria-label": "Open chat", "aria-expanded": "false",
      "aria-controls": "rd-panel", onclick: () => (st.open ? closePanel(true) : openPanel()),
    }, icon(ICON_CHAT), badge);
    const status = el("p", { class: "rd-status", id: "rd-status" });
    const close = el("button", { type: "button", class: "rd-close", "aria-label": "Close chat",
      onclick: () => closePanel(true) }, icon(ICON_CLOSE));
    const title = el("h2", { class: "rd-title", id: "rd-title", text: cfg.title || "Support" });
    const log = el("div", { class: "rd-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
      "aria-label": "Conversation", tabindex: "0" });
    const dots = el("span", { class: "rd-dots", "aria-hidden": "true" }, el("i"), el("i"), el("i"));
    const typing = el("div", { class: "rd-typing", role: "status", hidden: true }, dots, el("span"));
    const inputLabel = el("label", { class: "rd-input-label rd-sr", for: "rd-input", text: "Message" });
    const input = el("input", { id: "rd-input", class: "rd-input", maxlength: MAX_TEXT, enterkeyhint: "send" });
    const send = el("button", { type: "submit", class: "rd-send", "aria-label": "Send" }, icon(ICON_SEND));
    const composer = el("form", { class: "rd-composer", novalidate: true, onsubmit: onSubmit },
      inputLabel, el("div", { class: "rd-composer-row" }, input, send));
    const restartButton = el("button", { type: "button", class: "rd-restart-button",
      text: "Start a new conversation", onclick: startNew });
    const restart = el("div", { class: "rd-restart", hidden: true },
      el("p", { text: "This conversation is closed." }), restartButton);
    const panel = el("section", { class: "rd-panel", id: "rd-panel", role: "dialog",
      "aria-labelledby": "rd-title", "aria-describedby": "rd-status", hidden: true },
    el("header", { class: "rd-header" }, el("div", {}, title, status), close), log, typing, composer, restart);
    const wrap = el("div", { class: "rd-root" }, launcher, panel);
    wrap.addEventListener("keydown", (event) => {
      if (!st.open) return;
      if (event.key === "Escape") event.stopPropagation(), closePanel(true);
      if (event.key === "Tab" && fullScreen()) wrapTab(event);
    });
    root.append(sheet, wrap);
    ui = { host, wrap, launcher, badge, panel, status, log, typing, composer, input, inputLabel, restart, restartButton };
  }

  function renderMessage(m) {
    const author = Object.hasOwn(NAMES, m.author) ? m.author : "system";
    const item = el("div", { class: "rd-msg rd-msg--" + author, "data-author": author, "data-id": m.id });
    const sr = author === "visitor" || author === "system";
    item.append(el("span", { class: sr ? "rd-author rd-sr" : "rd-author", text: NAMES[author] + (sr ? ":" : "") }));
    let text = typeof m.text === "string" ? m.text : "";
    // AI answers quote Markdown articles: join soft-wrapped lines, keep paragraphs and lists
    if (author === "ai") text = text.replace(/([^\n])\n(?![\n*-]|\d+[.)] )/g, "$1 ");
    if (text) item.append(el("div", { class: "rd-bubble" }, ...linkify(text)));
    const sources = Array.isArray(m.sources) ? m.sources : [];
    if (sources.length) {
      const list = el("ul", { class: "rd-sources", "aria-label": "Sources" });
      for (const s of sources) {
        const label = String(s.title || s.slug || s.url || "Source");
        const href = safeUrl(s.url);
        list.append(el("li", {}, href ? link(href, label) : label));
      }
      item.append(list);
    }
    const buttons = Array.isArray(m.buttons) ? m.buttons : [];
    if (buttons.length) {
      const group = el("div", { class: "rd-buttons", role: "group", "aria-label": "Choices" });
      for (const b of buttons) {
        group.append(el("button", { type: "button", class: "rd-choice", "data-button-id": b.id,
          text: String(b.label ?? b.id), onclick: () => choose(b) }));
      }
      item.append(group);
    }
    if (m.input && typeof m.input === "object") item.rdInput = m.input;
    return item;
  }

  /* Show each id once; a visitor message confirms its local copy. Only the history and the stream
     move lastId: an HTTP answer may pass a message the stream missed. */
  function addMessage(m, opts = {}) {
    if (!ui || !m || typeof m !== "object") return;
    const id = m.id == null ? null : String(m.id);
    if (id !== null && opts.track) st.lastId = id;
    const mine = opts.replace;
    const replace = mine && mine.isConnected && mine.matches(".rd-msg--local") ? mine : null;
    if (id !== null && st.known.has(id)) {
      if (replace) replace.remove();
      return;
    }
    // confirmed in place, so the live region does not announce the visitor's message twice
    const local = replace || (m.author === "visitor"
      ? [...ui.log.querySelectorAll(".rd-msg--local")].find((n) => n.rdText === (m.text || "")) : null);
    const node = local || renderMessage(m);
    // a message replayed after a drop goes before newer ones
    const at = (node.rdAt = Date.parse(m.created_at));
    if (local) local.classList.remove("rd-msg--local");
    else ui.log.insertBefore(node, [...ui.log.children].find((n) => n.rdAt > at) || null);
    if (id !== null) st.known.add(id), (node.dataset.id = id);
    if (m.author !== "visitor") {
      clearTimeout(st.typing.get(m.author));
      st.typing.delete(m.author);
      if (!opts.quiet && !st.open) st.unread += 1;
    }
    updateBadge();
    scrollDown();
  }

  function addLocal(text) {
    const node = renderMessage({ author: "visitor", text });
    node.classList.add("rd-msg--local", "rd-msg--pending");
    node.rdText = text;
    ui.log.append(node);
    scrollDown();
    return node;
  }

  function addNote(text, retry) {
    const note = el("div", { class: "rd-msg rd-msg--system rd-msg--error", "data-author": "system" },
      el("div", { class: "rd-bubble", text }));
    const onclick = () => (note.remove(), retry());
    if (retry) note.append(el("button", { type: "button", class: "rd-retry", text: "Try again", onclick }));
    ui.log.append(note);
    scrollDown();
  }

  const scrollDown = () => ui && (ui.log.scrollTop = ui.log.scrollHeight);
  const isClosed = () =>
    !!st.conv && (st.forceClosed || (st.conv.status === "resolved" && !!st.settings.prevent_replies_to_closed));

  /* Enable only the newest choices, shape the composer for an input request, swap in "Start a new
     conversation" when replies are closed, and show who is typing. */
  function refresh() {
    if (!ui) return;
    const nodes = [...ui.log.querySelectorAll(".rd-msg")];
    const lastVisitor = nodes.findLastIndex((n) => n.dataset.author === "visitor");
    const closed = isClosed();
    nodes.forEach((n, i) => {
      for (const b of n.querySelectorAll(".rd-choice")) b.disabled = closed || i < lastVisitor;
    });
    const asking = nodes.slice(lastVisitor + 1).findLast((n) => n.rdInput);
    setComposer(asking ? asking.rdInput : null);
    const hadFocus = ui.wrap.getRootNode().activeElement === ui.input;
    ui.composer.hidden = closed;
    ui.restart.hidden = !closed;
    if (closed && hadFocus) ui.restartButton.focus();
    ui.status.textContent = STATUS_TEXT[st.conv?.status] || STATUS_TEXT.open;
    const who = st.waiting ? "ai" : [...st.typing.keys()][0];
    ui.typing.hidden = !who;
    ui.typing.lastChild.textContent = who ? NAMES[who] + " is typing…" : "";
  }

  function setComposer(request) {
    const field = request ? String(request.field || "") : "";
    ui.input.type = { email: "email", phone: "tel" }[field] || "text";
    ui.input.autocomplete = { email: "email", name: "name", phone: "tel", otp: "one-time-code" }[field] || "off";
    ui.input.inputMode = field === "otp" ? "numeric" : "";
    ui.input.dataset.field = field;
    const label = request ? String(request.label || field) : "Message";
    ui.inputLabel.textContent = label;
    ui.inputLabel.classList.toggle("rd-sr", !request);
    ui.input.placeholder = request ? label : "Write a message…";
  }

  function updateBadge() {
    if (!ui) return;
    ui.badge.hidden = st.unread === 0;
    ui.badge.textContent = st.unread > 9 ? "9+" : String(st.unread);
    const label = st.open ? "Close chat" : st.unread ? `Open chat (${st.unread} unread)` : "Open chat";
    ui.launcher.setAttribute("aria-label", label);
  }

  function setTyping(author, on) {
    if (!Object.hasOwn(NAMES, author) || author === "visitor") return;
    clearTimeout(st.typing.get(author));
    if (on) st.typing.set(author, setTimeout(() => setTyping(author, false), 15000));
    else st.typing.delete(author);
    refresh();
  }

  /* ---- the panel ---- */
  const fullScreen = () => matchMedia("(max-width: 480px)").matches; // as in widget.css
  // full screen (a phone), the panel is modal: Tab wraps around inside it
  function wrapTab(event) {
    const stops = [...ui.panel.querySelectorAll("a, button, input, [tabindex]")]
      .filter((n) => !n.disabled && n.getClientRects().length);
    const [from, to] = event.shiftKey ? [stops[0], stops.at(-1)] : [stops.at(-1), stops[0]];
    if (ui.wrap.getRootNode().activeElement !== from) return;
    event.preventDefault();
    to.focus();
  }
  function openPanel() {
    if (!ui) return void (st.wantOpen = true);
    showPanel(true);
    focusComposer();
    ensureConversation().then(focusComposer, () => {});
  }
  function closePanel(returnFocus) {
    st.wantOpen = false;
    if (!ui) return;
    showPanel(false);
    if (returnFocus) ui.launcher.focus();
  }
  function showPanel(on) {
    st.open = on;
    if (on) st.unread = 0;
    ui.panel.hidden = !on;
    ui.panel.setAttribute("aria-modal", String(on && fullScreen()));
    ui.wrap.classList.toggle("rd-open", on);
    ui.launcher.setAttribute("aria-expanded", String(on));
    openFlag(on);
    updateBadge();
    scrollDown();
  }
  function focusComposer() {
    if (!ui || !st.open) return;
    if (!ui.composer.hidden) ui.input.focus();
    else if (!ui.restart.hidden) ui.restartButton.focus();
  }

  /* ---- the conversation ---- */
  function ensureConversation() {
    if (st.conv) return Promise.resolve(st.conv);
    if (st.creating) return st.creating;
    const gen = st.gen;
    const language = (navigator.language || "").slice(0, 16) || null; // for language branches
    st.creating = api("POST", "/conversations", { language })
      .then((conv) => {
        if (gen === st.gen) setConversation(conv);
        return conv;
      })
      .catch((err) => {
        if (gen === st.gen) addNote("We could not start the conversation (" + err.message + ").", ensureConversation);
        throw err;
      })
      .finally(() => (st.creating = null));
    return st.creating;
  }

  function setConversation(conv) {
    disconnect();
    st.conv = { id: String(conv.id), status: conv.status || "open" };
    Object.assign(st, { forceClosed: false, lastId: null, wsRetry: 0 });
    st.known.clear();
    ui.log.textContent = "";
    save({ conversationId: st.conv.id });
    for (const m of conv.messages || []) addMessage(m, { quiet: true, track: true });
    refresh();
    connect();
  }

  function setStatus(status) {
    if (!st.conv || typeof status !== "string") return;
    if (status !== "resolved") st.forceClosed = false;
    st.conv.status = status;
    refresh();
  }

  // one key per message, reused by its "Try again"
  const newKey = () => Date.now().toString(36) + Math.random().toString(36).slice(2);
  async function post(body, localText, key = newKey()) {
    if (!(await ensureConversation().catch(() => null)) || !ui) return;
    const id = st.conv.id;
    const local = addLocal(localText);
    st.waiting += 1;
    refresh();
    try {
      const res = await api("POST", convPath(id) + "/messages", body, st.token, key);
      if (!st.conv || st.conv.id !== id) return;
      let mine = local; // the first visitor message in the answer is this one, confirmed
      for (const m of res?.messages || []) {
        addMessage(m, { replace: m.author === "visitor" ? mine : null, quiet: true });
        if (m.author === "visitor") mine = null;
      }
      local.classList.remove("rd-msg--pending");
    } catch (err) {
      local.classList.remove("rd-msg--pending");
      if (local.dataset.id) return; // stored: the stream confirmed it
      local.classList.replace("rd-msg--local", "rd-msg--failed");
      if (err.status === 409) {
        st.forceClosed = true;
        addNote("This conversation is closed, so that message was not sent.");
      } else {
        addNote("Your message was not sent (" + err.message + ").", () => (local.remove(), post(body, localText, key)));
      }
    } finally {
      st.waiting -= 1;
      refresh();
    }
  }

  function onSubmit(event) {
    event.preventDefault();
    const text = ui.input.value.trim();
    if (!text) return;
    ui.input.value = "";
    post({ text: text.slice(0, MAX_TEXT) }, text);
  }

  function choose(button) {
    if (isClosed()) return;
    post({ button_id: String(button.id) }, String(button.label ?? button.id));
    focusComposer();
  }

  async function startNew() {
    disconnect();
    st.conv = null;
    save({ conversationId: null });
    await ensureConversation().then(focusComposer, () => {});
  }

  /* ---- the live stream: reconnect with back-off, replay with after=, dedupe by id ---- */
  function connect() {
    clearTimeout(st.wsTimer);
    if (!st.conv || !st.token || st.ws) return;
    const url = new URL(V1.replace(/^http/, "ws") + convPath(st.conv.id) + "/stream");
    url.searchParams.set("token", st.token);
    if (st.lastId) url.searchParams.set("after", st.lastId);
    const ws = attempt(() => new WebSocket(url.href), null);
    if (!ws) return scheduleReconnect();
    st.ws = ws;
    // the server sends the status, then every message after `after`
    ws.onopen = () => st.ws === ws && (st.wsRetry = 0);
    ws.onmessage = (event) => {
      if (st.ws !== ws) return;
      const data = attempt(() => JSON.parse(event.data), {});
      if (data.type === "message") addMessage(data.message, { track: true }), refresh();
      else if (data.type === "status") setStatus(data.status);
      else if (data.type === "typing") setTyping(data.author, !!data.on);
    };
    ws.onclose = (event) => {
      if (st.ws !== ws) return;
      st.ws = null;
      // 1008, 44xx: this token or conversation is refused; retrying cannot help
      if (event.code === 1008 || (event.code >= 4400 && event.code < 4500)) return;
      scheduleReconnect();
    };
  }

  function scheduleReconnect() {
    clearTimeout(st.wsTimer);
    const delay = Math.min(15000, 500 * 2 ** Math.min(st.wsRetry, 5)) * (0.8 + Math.random() * 0.4);
    st.wsRetry += 1;
    st.wsTimer = setTimeout(connect, delay);
  }

  function disconnect() {
    clearTimeout(st.wsTimer);
    const ws = st.ws;
    st.ws = null;
    if (ws) ws.close(1000);
  }

  function wake() {
    if (!st.conv || st.ws || document.visibilityState === "hidden") return;
    st.wsRetry = 0;
    connect();
  }
  // after a network change an open socket may be dead without knowing it
  window.addEventListener("online", () => (disconnect(), (st.wsRetry = 0), connect()));
  document.addEventListener("visibilitychange", wake);

  /* ---- start-up ---- */
  function setState(name, detail) {
    command.state = name;
    window.dispatchEvent(new CustomEvent("relaydesk:" + name, { detail: detail || {} }));
  }

  async function findConversation(stored) {
    if (stored.conversationId) {
      for (const token of new Set([st.token, stored.token].filter(Boolean))) {
        const conv = await api("GET", convPath(stored.conversationId), undefined, token).catch(() => null);
        if (!conv) continue;
        st.token = token; // the stored token may own the conversation
        return conv;
      }
    }
    if (!st.contact || !st.contact.verified) return null;
    // an identified visitor's open conversation follows them across devices
    const list = await api("GET", "/conversations").catch(() => null); // newest first
    const latest = (list?.conversations || []).find((c) => c.status !== "resolved");
    return latest ? api("GET", convPath(latest.id)).catch(() => null) : null;
  }

  async function startSession(stored) {
    const body = { page_url: location.href, user_jwt: st.jwt || null };
    try {
      return await api("POST", "/sessions", body, stored.token || null);
    } catch (err) {
      if (err.status !== 401 || !stored.token) throw err;
      return api("POST", "/sessions", body, null); // the stored token is stale
    }
  }

  async function boot() {
    const gen = ++st.gen;
    setState("loading");
    const identity = identityOf(st.jwt);
    let stored = load();
    if (stored.identity !== identity) {
      clearStore();
      stored = {};
    }
    let session;
    try {
      session = await startSession(stored);
    } catch (err) {
      if (gen !== st.gen) return;
      if (err.status === 403) return setState("hidden", { reason: "deploy_rules" });
      if (err.status === 401) {
        console.warn("relaydesk: the " + (st.jwt ? "visitor JWT" : "anonymous visitor") + " was refused (" +
          err.message + "); the messenger stays hidden. Check data-user-jwt or relaydesk('identify', jwt).");
        return setState("hidden", { reason: "identity" });
      }
      console.warn("relaydesk: could not start a messenger session: " + err.message);
      if (!err.status || err.status === 429 || err.status >= 500) {
        setTimeout(() => gen === st.gen && boot(), Math.min(60000, 3000 * 2 ** st.bootTries++));
      }
      return setState("error", { reason: err.message });
    }
    if (gen !== st.gen) return;
    Object.assign(st, { token: session.visitor_token, contact: session.contact || null, bootTries: 0,
      settings: session.settings || {} });
    const conv = await findConversation(stored);
    if (gen !== st.gen) return;
    save({ identity, token: st.token, conversationId: conv ? String(conv.id) : null });
    buildUi();
    if (conv) setConversation(conv);
    refresh();
    document.body.append(ui.host); // after the history: the live region announces only news
    scrollDown();
    setState("ready", { contact: st.contact });
    if (st.wantOpen || attempt(() => sessionStorage.getItem(OPEN_FLAG) === "1", false)) openPanel();
  }

  function identify(jwt) {
    st.gen += 1;
    disconnect();
    if (ui) ui.host.remove();
    ui = null;
    Object.assign(st, { jwt: typeof jwt === "string" && jwt ? jwt : null, token: null, conv: null,
      creating: null, unread: 0, open: false, waiting: 0, typing: new Map() });
    return boot();
  }

  const COMMANDS = {
    identify,
    logout: () => (clearStore(), identify(null)),
    open: openPanel,
    close: () => closePanel(false),
  };
  function command(name, ...args) {
    if (Object.hasOwn(COMMANDS, name)) return COMMANDS[name](...args);
    console.warn("relaydesk: unknown command " + String(name));
  }
  command.loaded = true;
  command.state = "loading";
  window.relaydesk = command;

  // calls a stub queued before load: identify first, the rest once started
  const queued = previous && Array.isArray(previous.q) ? [...previous.q] : [];
  for (const args of queued) if (args[0] === "identify") st.jwt = args[1] || null;
  const start = () => {
    boot();
    for (const args of queued) if (args[0] !== "identify") command(...args);
  };
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
