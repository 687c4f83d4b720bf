// The sandbox page: three chats with the real desk, driven through the Bot API stand-in.
// Plain JS, no build step. Messages come live from /api/events (server-sent events).
"use strict";

const TZ = "Asia/Tehran";
const dayFormat = new Intl.DateTimeFormat("fa-IR-u-ca-persian",
  { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: TZ });
const timeFormat = new Intl.DateTimeFormat("fa-IR", { hour: "2-digit", minute: "2-digit", timeZone: TZ });
const numberFormat = new Intl.NumberFormat("fa-IR");
const idFormat = new Intl.NumberFormat("fa-IR", { useGrouping: false });
const HTML_TAGS = { B: "b", STRONG: "b", I: "i", EM: "i", U: "u", INS: "u", S: "s", STRIKE: "s", DEL: "s",
  CODE: "code", PRE: "pre", A: "a", BLOCKQUOTE: "blockquote", "TG-SPOILER": "span", SPAN: "span" };

// Shared with the browser test: how many events have arrived and when the bot's last one did.
const state = { world: null, chats: new Map(), events: 0, botEvents: 0, lastBotEventAt: 0, loaded: false, backlog: [] };
window.sandbox = state;

const $ = (selector, root = document) => root.querySelector(selector);
// The run's secret, given to this page only (in its HTML): the API answers nothing without it.
const SECRET = document.querySelector('meta[name="sandbox-secret"]').content;
const withSecret = (path) => `${path}${path.includes("?") ? "&" : "?"}secret=${encodeURIComponent(SECRET)}`;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function chat(chatId) {
  const key = String(chatId);
  if (!state.chats.has(key)) state.chats.set(key, new Map());
  return state.chats.get(key);
}

async function api(path, body) {
  const options = body === undefined ? { headers: { "X-Sandbox-Secret": SECRET } } : {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Sandbox-Secret": SECRET },
    body: JSON.stringify(body),
  };
  const response = await fetch(path, options);
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return response.json();
}

function toast(text, alert = false) {
  const box = el("div", alert ? "toast alert" : "toast", text);
  box.dir = "auto";
  box.addEventListener("click", () => box.remove());
  $("#toasts").append(box);
  if (!alert) setTimeout(() => box.remove(), 4000);
}

// -- Telegram HTML, shown safely: only the tags the Bot API knows, links only to http(s) -------------
function telegramHtml(html) {
  const source = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html").body;
  const out = document.createDocumentFragment();
  (function copy(from, to) {
    for (const node of from.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) { to.append(node.textContent); continue; }
      if (node.nodeType !== Node.ELEMENT_NODE) continue;
      const tag = HTML_TAGS[node.tagName];
      if (!tag) { copy(node, to); continue; }
      const made = document.createElement(tag);
      if (node.tagName === "TG-SPOILER" || node.classList.contains("tg-spoiler")) made.className = "spoiler";
      if (tag === "a") {
        const href = node.getAttribute("href") || "";
        if (/^https?:\/\//i.test(href)) { made.href = href; made.target = "_blank"; made.rel = "noopener"; }
      }
      copy(node, made);
      to.append(made);
    }
  })(source, out);
  return out;
}

function plain(view) {
  if (view.plain) return view.plain;
  const raw = view.text || view.caption || "";
  return view.parse_mode === "HTML" ? new DOMParser().parseFromString(raw, "text/html").body.textContent : raw;
}

function fileUrl(fileId) {
  return withSecret(`/api/files/${encodeURIComponent(fileId)}`);
}

function sizeText(bytes) {
  if (bytes >= 1024 * 1024) return `${numberFormat.format(Math.round(bytes / 1024 / 102.4) / 10)} MB`;
  return `${numberFormat.format(Math.max(1, Math.round(bytes / 1024)))} KB`;
}

// -- one chat on the page -------------------------------------------------------------------------
class ChatPane {
  constructor(section) {
    this.section = section;
    this.kind = section.dataset.kind;
    section.append($("#chat-template").content.cloneNode(true));
    this.list = $(".messages", section);
    this.keyboardBox = $(".reply-keyboard", section);
    this.replyingBox = $(".replying", section);
    this.form = $(".composer", section);
    this.menuBox = $(".command-menu", section);
    this.menuButton = $(".menu-btn", section);
    this.input = this.form.elements.text;
    this.chatId = null;
    this.senderId = null; // in a group: who is writing
    this.replyTo = null;
    this.keyboard = null;
    if (this.kind === "group") section.querySelectorAll(".private-only").forEach((n) => n.remove());
    this.form.addEventListener("submit", (e) => { e.preventDefault(); this.sendText(); });
    $(".cancel-reply", section).addEventListener("click", () => this.setReply(null));
    this.form.elements.file.addEventListener("change", (e) => this.sendFile(e.target));
    $(".contact-btn", section)?.addEventListener("click", () => this.sendContact());
    $(".location-btn", section)?.addEventListener("click", () => this.sendLocation());
    this.menuButton.addEventListener("click", () => (this.menuBox.hidden ? this.openMenu() : this.closeMenu()));
    section.addEventListener("keydown", (e) => { if (e.key === "Escape") this.closeMenu(); });
    document.addEventListener("click", (e) => {
      if (!this.menuBox.hidden && !this.menuBox.contains(e.target) && !this.menuButton.contains(e.target)) this.closeMenu();
    });
  }

  // the bot's command menu, as the messenger shows it to whoever writes here -----------------------
  get viewer() {
    return this.kind === "group" ? this.senderId : Number(this.chatId);
  }

  async openMenu() {
    const asked = `${this.chatId}:${this.viewer}`;
    this.menuAsked = asked;
    let commands;
    try {
      commands = (await api(`/api/chats/${this.chatId}/commands?user_id=${this.viewer}`)).commands;
    } catch (error) {
      toast(String(error.message || error), true);
      return;
    }
    if (this.menuAsked !== asked) return; // the chat or the sender changed meanwhile
    this.menuBox.replaceChildren();
    if (!commands.length) this.menuBox.append(el("div", "cmd-empty", "ربات فرمانی برای این گفتگو تعریف نکرده است."));
    for (const command of commands) {
      const item = el("button", "cmd");
      item.type = "button";
      item.setAttribute("role", "menuitem");
      const name = el("span", "cmd-name", `/${command.command}`);
      name.dir = "ltr";
      const description = el("span", "cmd-desc", command.description);
      description.dir = "auto";
      item.append(name, description);
      item.addEventListener("click", () => { this.closeMenu(); this.sendText(`/${command.command}`); });
      this.menuBox.append(item);
    }
    this.menuBox.hidden = false;
    this.menuButton.setAttribute("aria-expanded", "true");
  }

  closeMenu() {
    this.menuAsked = null;
    this.menuBox.hidden = true;
    this.menuButton.setAttribute("aria-expanded", "false");
  }

  get person() {
    const world = state.world;
    return [...world.citizens, world.staff, world.admin].find((p) => p.id === Number(this.chatId));
  }

  show(chatId) {
    this.chatId = String(chatId);
    this.closeMenu();
    this.setReply(null);
    this.render();
  }

  // what a person does --------------------------------------------------------------------------
  async act(body) {
    const path = this.kind === "group" ? `/api/groups/${this.chatId}/send` : `/api/users/${this.chatId}/send`;
    if (this.kind === "group") body.from = this.senderId;
    try {
      return await api(path, body);
    } catch (error) {
      toast(String(error.message || error), true);
      return null;
    }
  }

  async sendText(text = this.input.value.trim()) {
    if (!text) return;
    const body = { text };
    if (this.replyTo) body.reply_to = this.replyTo;
    this.input.value = "";
    this.setReply(null);
    await this.act(body);
  }

  async sendFile(input) {
    const file = input.files[0];
    input.value = "";
    if (!file) return;
    const data = await new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result).split(",", 2)[1] || "");
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });
    const caption = this.input.value.trim() || undefined;
    this.input.value = "";
    const photo = /^image\/(jpeg|png|webp)$/.test(file.type);
    const body = photo ? { photo: data, caption }
      : { document: data, filename: file.name, mime: file.type || "application/octet-stream", caption };
    if (this.replyTo) body.reply_to = this.replyTo;
    this.setReply(null);
    await this.act(body);
  }

  async sendContact() {
    await this.act({ contact: { phone: this.person.phone } });
  }

  async sendLocation() {
    await this.act({ location: { lat: 35.6997, lon: 51.338 } }); // Tehran, Azadi square
  }

  async press(message, button, node) {
    node.classList.add("busy");
    const result = await this.act({ press: button.text, message_id: message.message_id });
    node.classList.remove("busy");
    const answer = result && result.answer;
    if (answer && answer.text) toast(answer.text, Boolean(answer.show_alert));
    if (answer && answer.url) window.open(answer.url, "_blank", "noopener");
  }

  setReply(messageId) {
    this.replyTo = messageId;
    this.replyingBox.hidden = !messageId;
    if (messageId) {
      const view = chat(this.chatId).get(String(messageId));
      $(".replying-text", this.section).textContent = `↩ ${view ? plain(view).slice(0, 80) : messageId}`;
      this.input.focus();
    }
  }

  // what the bot shows --------------------------------------------------------------------------
  render() {
    this.list.replaceChildren();
    this.lastDay = null;
    this.setKeyboard(null);
    for (const view of chat(this.chatId).values()) this.append(view, false);
    this.scroll();
  }

  append(view, scroll = true) {
    const day = dayFormat.format(new Date(view.date * 1000));
    if (day !== this.lastDay) {
      this.list.append(el("div", "day", day));
      this.lastDay = day;
    }
    const node = el("div");
    this.fill(node, view);
    this.list.append(node);
    this.follow(view);
    if (scroll) this.scroll();
  }

  replace(view) {
    const node = this.list.querySelector(`.msg[data-id="${view.message_id}"]`);
    if (node) this.fill(node, view);
  }

  remove(messageId) {
    this.list.querySelector(`.msg[data-id="${messageId}"]`)?.remove();
  }

  scroll() {
    this.list.scrollTop = this.list.scrollHeight;
  }

  follow(view) {
    const markup = view.reply_markup;
    if (!view.from || !view.from.is_bot || !markup) return;
    if (markup.keyboard || markup.remove_keyboard) this.setKeyboard(markup.keyboard ? markup : null);
    if (markup.force_reply) this.setReply(view.message_id);
  }

  fill(node, view) {
    const fromBot = Boolean(view.from && view.from.is_bot);
    node.className = `msg ${fromBot ? "in" : "out"}`;
    node.dataset.id = view.message_id;
    node.replaceChildren();
    if (this.kind === "group" && !fromBot && view.from) node.append(el("div", "who", view.from.first_name));
    if (view.reply_to_message) {
      const quote = el("div", "quote", plain(view.reply_to_message).slice(0, 120));
      quote.dir = "auto";
      node.append(quote);
    }
    this.media(node, view);
    const raw = view.text ?? view.caption;
    if (raw) {
      const text = el("div", "text");
      text.dir = "auto";
      if (view.parse_mode === "HTML") text.append(telegramHtml(raw)); else text.textContent = raw;
      node.append(text);
    }
    const inline = view.reply_markup && view.reply_markup.inline_keyboard;
    if (inline) node.append(this.inlineKeyboard(view, inline));
    const meta = el("div", "meta");
    if (view.edit_date) meta.append(el("span", "edited", "ویرایش‌شده"));
    meta.append(el("time", "", timeFormat.format(new Date(view.date * 1000))));
    const reply = el("button", "reply-to", "↩");
    reply.type = "button";
    reply.title = "پاسخ به این پیام";
    reply.addEventListener("click", () => this.setReply(view.message_id));
    meta.append(reply);
    node.append(meta);
  }

  media(node, view) {
    if (view.photo) {
      const img = el("img", "photo");
      img.src = fileUrl(view.photo[view.photo.length - 1].file_id);
      img.alt = "photo";
      img.addEventListener("load", () => this.scroll());
      node.append(img);
    }
    if (view.document) {
      const doc = view.document;
      const link = el("a", "document");
      link.href = fileUrl(doc.file_id);
      link.target = "_blank";
      link.append(el("span", "doc-icon", "📄"), el("span", "doc-name", doc.file_name || "file"),
        el("span", "doc-size", doc.file_size ? sizeText(doc.file_size) : ""));
      link.dir = "auto";
      node.append(link);
    }
    if (view.contact) {
      const contact = el("div", "contact", `📱 ${view.contact.first_name || ""} ${view.contact.phone_number}`);
      contact.dir = "auto";
      node.append(contact);
    }
    if (view.location) {
      node.append(el("div", "location", `📍 ${numberFormat.format(view.location.latitude)}، ${
        numberFormat.format(view.location.longitude)}`));
    }
  }

  inlineKeyboard(view, rows) {
    const box = el("div", "inline-keyboard");
    for (const row of rows) {
      const line = el("div", "row");
      for (const button of row) {
        let node;
        if (button.url) {
          node = el("a", "inline-btn url", `${button.text} ↗`);
          node.href = button.url;
          node.target = "_blank";
          node.rel = "noopener";
        } else {
          node = el("button", "inline-btn", button.text);
          node.type = "button";
          if (button.callback_data === undefined) node.disabled = true;
          else node.addEventListener("click", () => this.press(view, button, node));
        }
        node.dir = "auto";
        line.append(node);
      }
      box.append(line);
    }
    return box;
  }

  setKeyboard(markup) {
    this.keyboard = markup;
    this.keyboardBox.replaceChildren();
    this.keyboardBox.hidden = !markup;
    if (!markup) return;
    for (const row of markup.keyboard) {
      const line = el("div", "row");
      for (const raw of row) {
        const button = typeof raw === "string" ? { text: raw } : raw;
        const node = el("button", "kb-btn", button.text);
        node.type = "button";
        node.dir = "auto";
        node.addEventListener("click", () => {
          if (markup.one_time_keyboard) this.setKeyboard(null);
          if (button.request_contact) this.sendContact();
          else if (button.request_location) this.sendLocation();
          else this.sendText(button.text);
        });
        line.append(node);
      }
      this.keyboardBox.append(line);
    }
  }
}

// -- the page -------------------------------------------------------------------------------------
const panes = {};

function citizenLabel(person) {
  const unread = state.unread && state.unread.has(String(person.id)) ? " ●" : "";
  return `${person.first_name} (${idFormat.format(person.id)})${unread}`;
}

function options(select, people, chosen, label = (p) => p.first_name) {
  select.replaceChildren(...people.map((p) => {
    const option = el("option", "", label(p));
    option.value = String(p.id);
    return option;
  }));
  select.value = chosen || String(people[0].id);
  return select.value;
}

function fillSelectors(citizenId = $("#citizen-select").value) {
  const world = state.world;
  options($("#citizen-select"), world.citizens, citizenId, citizenLabel);
  panes.group.senderId = Number(options($("#group-sender"), [world.staff, world.admin], $("#group-sender").value));
  options($("#private-select"), [world.admin, world.staff], $("#private-select").value);
  $(".chat-title", panes.group.section).textContent = world.group.title;
}

async function loadWorld() {
  state.loaded = false;
  const world = await api("/api/world");
  state.world = world;
  for (const [chatId, views] of Object.entries(world.messages)) {
    const messages = chat(chatId);
    messages.clear();
    for (const view of views) messages.set(String(view.message_id), view);
  }
  state.loaded = true;
  fillSelectors();
  panes.citizen.show($("#citizen-select").value);
  panes.group.show(world.group.id);
  panes.admin.show($("#private-select").value);
  for (const event of state.backlog.splice(0)) apply(event);
  document.body.dataset.ready = "1";
}

function apply(event) {
  const view = event.message;
  const key = String(event.chat_id);
  const messages = chat(key);
  const shown = Object.values(panes).filter((pane) => pane.chatId === key);
  if (event.type === "message" || event.type === "edit") {
    const known = messages.has(String(view.message_id));
    messages.set(String(view.message_id), view);
    for (const pane of shown) {
      if (known) pane.replace(view); else pane.append(view);
    }
    if (!shown.length && event.type === "message" && state.world.citizens.some((p) => String(p.id) === key)) {
      state.unread.add(key);
      fillSelectors();
    }
  } else if (event.type === "delete") {
    messages.delete(String(view.message_id));
    for (const pane of shown) pane.remove(view.message_id);
  }
}

function connect() {
  const status = $("#status");
  const events = new EventSource(withSecret("/api/events"));
  events.onopen = () => {
    status.textContent = "● متصل";
    status.className = "status online";
    loadWorld().catch((error) => toast(String(error), true));
  };
  events.onerror = () => {
    status.textContent = "● قطع";
    status.className = "status offline";
  };
  events.onmessage = (message) => {
    const event = JSON.parse(message.data);
    state.events += 1;
    if (event.message.from && event.message.from.is_bot) {
      state.botEvents += 1;
      state.lastBotEventAt = performance.now();
    }
    if (state.loaded) apply(event); else state.backlog.push(event);
  };
}

function start() {
  state.unread = new Set();
  panes.citizen = new ChatPane($("#pane-citizen"));
  panes.group = new ChatPane($("#pane-group"));
  panes.admin = new ChatPane($("#pane-admin"));
  $("#citizen-select").addEventListener("change", (e) => {
    state.unread.delete(e.target.value);
    fillSelectors();
    panes.citizen.show(e.target.value);
  });
  $("#group-sender").addEventListener("change", (e) => {
    panes.group.senderId = Number(e.target.value);
    panes.group.closeMenu();
  });
  $("#private-select").addEventListener("change", (e) => panes.admin.show(e.target.value));
  $("#new-citizen").addEventListener("click", async () => {
    const person = await api("/api/citizens", {});
    state.world.citizens.push(person);
    fillSelectors(String(person.id));
    panes.citizen.show(person.id);
    panes.citizen.sendText("/start");
  });
  connect();
}

start();
