// The operator inbox: the organisation's live conversations (waiting for a person first),
// one opened with its history and its turns live, token by token; take over, reply, hand back.
// Everything here comes over /ws/inbox (handoff.consumers.InboxConsumer).

const doc = document;
const list = doc.querySelector(".inbox-list");
const status = doc.querySelector(".inbox-status");
const pane = doc.querySelector(".inbox-conversation");
const transcript = doc.querySelector(".inbox-transcript");
const holderLine = doc.querySelector(".inbox-holder");
const alertLine = doc.querySelector(".inbox-alert");
const takeButton = doc.querySelector(".inbox-take");
const takeFromButton = doc.querySelector(".inbox-take-from");
const handBackButton = doc.querySelector(".inbox-hand-back");
const form = doc.querySelector(".inbox-form");
const input = doc.querySelector("#inbox-reply");

let socket = null;
let openId = null;
let handoff = { state: null, holder: null };
let iHold = false;
let streaming = null; // the AI reply growing token by token in the open conversation
const STATE_WORDS = { waiting: "Waiting for a person", held: "Held", active: "Active", recent: "Recent" };

function element(tag, attributes = {}, text = null) {
  const node = doc.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== null) node.textContent = text;
  return node;
}

function send(frame) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
}

function waited(since) {
  const minutes = Math.max(0, Math.round((Date.now() - Date.parse(since)) / 60000));
  return minutes < 1 ? "just now" : `${minutes} min`;
}

function visitorLabel(row) {
  // A visitor who gave no name is told apart by their session's first characters.
  return row.visitor && row.visitor !== "Visitor" ? row.visitor : `Visitor ${row.sessionId.slice(0, 6)}`;
}

function renderList(items) {
  list.replaceChildren();
  for (const row of items) {
    const item = element("li", { class: "inbox-row", "data-state": row.state, "data-conversation": row.conversationId });
    const button = element("button", { type: "button", "aria-current": String(row.conversationId === openId) });
    const state = row.state === "held" ? `Held by ${row.holder}` : STATE_WORDS[row.state];
    button.append(
      element("span", { class: "inbox-row-state" }, state),
      doc.createTextNode(` · ${visitorLabel(row)} · ${row.agent} · ${waited(row.since)}`),
      element("span", { class: "inbox-row-last" }, row.lastMessage || ""),
    );
    button.addEventListener("click", () => send({ action: "open", conversationId: row.conversationId }));
    item.append(button);
    list.append(item);
  }
}

function addMessage(direction, text, author) {
  const item = element("li", { class: `smooth-message smooth-${direction}` });
  const speaker = direction === "inbound" ? "Visitor" : author?.type === "human-agent" ? author.name : "Assistant";
  item.append(element("span", { class: "smooth-speaker" }, speaker), element("span", { class: "smooth-text" }, text));
  transcript.append(item);
  transcript.scrollTop = transcript.scrollHeight;
  return item;
}

function showHandoff() {
  const held = handoff.state === "held";
  holderLine.textContent = held ? `Held by ${iHold ? "you" : handoff.holder}` : handoff.state === "waiting" ? "Waiting for a person" : "The assistant is answering";
  takeButton.hidden = held;
  takeFromButton.hidden = !held || iHold;
  handBackButton.hidden = !iHold;
  form.hidden = !iHold;
}

function onStream(event) {
  // The visitor's session stream: the AI's tokens, its replies, and operators' messages.
  if (event.type === "stream_token") {
    if (!streaming) streaming = addMessage("outbound", "", null);
    streaming.querySelector(".smooth-text").textContent += event.token;
  } else if (event.type === "eventual_response") {
    const response = event.data?.data?.response || {};
    const text = (response.responseParts || []).join("\n\n");
    if (streaming) streaming.querySelector(".smooth-text").textContent = text;
    else addMessage("outbound", text, response.operator ? { type: "human-agent", name: response.operator.name } : null);
    streaming = null;
  } else if (event.type === "cancelled" || event.type === "error") {
    streaming = null;
  }
}

function onInbox(event) {
  send({ action: "list" }); // the list's order and rows follow every change
  if (event.conversationId !== openId) return;
  if (event.type === "visitor_message") addMessage("inbound", event.text, null);
  if (event.type === "joined" || event.type === "taken") {
    handoff = { state: "held", holder: event.author };
    iHold = event.author === doc.body.dataset.operator;
    if (event.type === "taken" && event.previousHolder === doc.body.dataset.operator) alertLine.textContent = `${event.author} took this conversation over from you.`;
    alertLine.hidden = !alertLine.textContent;
    showHandoff();
  } else if (event.type === "returned") {
    handoff = { state: "returned", holder: null };
    iHold = false;
    showHandoff();
  } else if (event.type === "escalation") {
    handoff = { state: "waiting", holder: null };
    showHandoff();
  }
}

function onFrame(message) {
  const frame = JSON.parse(message.data);
  if (frame.type === "conversations") renderList(frame.items);
  else if (frame.type === "opened") {
    openId = frame.conversationId;
    transcript.replaceChildren();
    streaming = null;
    for (const item of frame.messages) addMessage(item.direction, item.text, item.author);
    handoff = frame.handoff;
    iHold = frame.handoff.state === "held" && frame.handoff.holderUserId === doc.body.dataset.operatorId;
    alertLine.hidden = true;
    alertLine.textContent = "";
    pane.hidden = false;
    showHandoff();
    send({ action: "list" });
  } else if (frame.type === "stream" && frame.conversationId === openId) onStream(frame.event);
  else if (frame.type === "inbox") onInbox(frame.event);
  else if (frame.type === "error") {
    alertLine.textContent = frame.message;
    alertLine.hidden = false;
  }
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${scheme}://${location.host}/ws/inbox`);
  socket.addEventListener("open", () => {
    status.textContent = "Connected.";
    send({ action: "list" });
    if (openId) send({ action: "open", conversationId: openId });
  });
  socket.addEventListener("message", onFrame);
  socket.addEventListener("close", () => {
    status.textContent = "Reconnecting…";
    setTimeout(connect, 1000);
  });
}

takeButton.addEventListener("click", () => send({ action: "take_over", conversationId: openId }));
takeFromButton.addEventListener("click", () => send({ action: "take_over", conversationId: openId, takeFrom: true }));
handBackButton.addEventListener("click", () => send({ action: "hand_back", conversationId: openId }));
input.addEventListener("keydown", (key) => {
  if (key.key === "Enter" && !key.shiftKey) {
    key.preventDefault();
    form.requestSubmit();
  }
});
form.addEventListener("submit", (submit) => {
  submit.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  send({ action: "reply", conversationId: openId, text });
  input.value = "";
  input.focus();
});
connect();
