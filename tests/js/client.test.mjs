// The protocol client (chat/static/smooth/client.js) against a scripted fake
// WebSocket, in Node: reconnect, re-attach, back-off and refusals, quickly and
// deterministically. Run by tests/test_js_client.py (or: node --test tests/js/).
import assert from "node:assert/strict";
import { test } from "node:test";

class FakeSocket extends EventTarget {
  static all = [];
  constructor(url) {
    super();
    this.url = url;
    this.sent = [];
    this.closed = false;
    FakeSocket.all.push(this);
  }
  send(text) {
    this.sent.push(JSON.parse(text));
  }
  close() {
    if (this.closed) return;
    this.closed = true;
    queueMicrotask(() => this.dispatchEvent(new Event("close")));
  }
  // The server's side.
  open() {
    this.dispatchEvent(new Event("open"));
  }
  reply(event) {
    this.dispatchEvent(Object.assign(new Event("message"), { data: JSON.stringify(event) }));
  }
  drop() {
    this.close();
  }
}
globalThis.WebSocket = FakeSocket;

const { SmoothClient, socketUrl } = await import("../../chat/static/smooth/client.js");
const AGENT = "5e0e7a1c-0000-4000-8000-000000000001";
const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

function storage() {
  const items = new Map();
  return { getItem: (key) => items.get(key) ?? null, setItem: (key, value) => items.set(key, value), removeItem: (key) => items.delete(key) };
}

function record(client) {
  const seen = [];
  for (const type of ["status", "ready", "history", "token", "reply", "failed"]) {
    client.addEventListener(type, ({ detail }) => seen.push([type, detail]));
  }
  return seen;
}

async function answer(socket, build) {
  await tick();
  const frame = socket.sent.at(-1);
  socket.reply(build(frame));
  return frame;
}

const created = (frame, sessionId = "s-1") => ({ type: "immediate_response", requestId: frame.requestId, status: 200, data: { sessionId } });
const found = (frame) => ({ type: "immediate_response", requestId: frame.requestId, status: 200, data: { sessionId: frame.sessionId } });
const page = (frame, messages) => ({ type: "immediate_response", requestId: frame.requestId, status: 200, data: { messages, hasMore: false, nextCursor: null } });
const refusal = (frame, code) => ({ type: "error", requestId: frame.requestId, error: { code, message: "no" }, data: { error: { code, message: "no" } } });

test("the socket's address is /ws on the page's host, with the language its refusals are worded in", () => {
  assert.equal(socketUrl("https://shop.example/help?q=1"), "wss://shop.example/ws");
  assert.equal(socketUrl("http://127.0.0.1:8000/", "de"), "ws://127.0.0.1:8000/ws?lang=de");
  assert.equal(socketUrl("http://127.0.0.1:8000/", "a&b"), "ws://127.0.0.1:8000/ws?lang=a%26b");
});

test("a dropped connection re-attaches to the same session and re-reads the conversation", async () => {
  FakeSocket.all = [];
  const client = new SmoothClient({ url: "ws://smooth/ws", agentId: AGENT, storage: storage(), retryMs: [5], retryJitterMs: 0 });
  const seen = record(client);
  client.start();
  FakeSocket.all[0].open();
  const create = await answer(FakeSocket.all[0], (frame) => created(frame));
  assert.equal(create.action, "create_conversation_session");
  await tick();
  const requestId = client.send("hello");
  FakeSocket.all[0].reply({ type: "stream_token", requestId, token: "Hi" });

  FakeSocket.all[0].drop();
  await tick(20);
  assert.deepEqual(seen.filter(([type]) => type === "failed").map(([, detail]) => [detail.requestId, detail.code]), [[requestId, "DISCONNECTED"]]);
  assert.equal(FakeSocket.all.length, 2);
  FakeSocket.all[1].open();
  const attach = await answer(FakeSocket.all[1], found);
  assert.deepEqual([attach.action, attach.sessionId], ["get_session", "s-1"]);
  const history = await answer(FakeSocket.all[1], (frame) => page(frame, [{ direction: "outbound", content: { text: "Hi there" } }, { direction: "inbound", content: { text: "hello" } }]));
  assert.equal(history.action, "get_conversation_messages");
  await tick();
  const ready = seen.filter(([type]) => type === "ready").map(([, detail]) => detail);
  assert.deepEqual(ready, [{ sessionId: "s-1", resumed: false }, { sessionId: "s-1", resumed: true }]);
  const lastHistory = seen.filter(([type]) => type === "history").at(-1)[1];
  assert.deepEqual(lastHistory.messages.map((message) => message.content.text), ["hello", "Hi there"]); // oldest first
  client.stop();
});

test("a session the server no longer knows is replaced by a new one", async () => {
  FakeSocket.all = [];
  const kept = storage();
  kept.setItem(`smooth.session.${AGENT}`, "gone");
  const client = new SmoothClient({ url: "ws://smooth/ws", agentId: AGENT, storage: kept, retryMs: [5], retryJitterMs: 0 });
  client.start();
  FakeSocket.all[0].open();
  await answer(FakeSocket.all[0], (frame) => refusal(frame, "SESSION_NOT_FOUND"));
  const create = await answer(FakeSocket.all[0], (frame) => created(frame, "s-2"));
  assert.equal(create.action, "create_conversation_session");
  await tick();
  assert.equal(kept.getItem(`smooth.session.${AGENT}`), "s-2");
  client.stop();
});

test("a refusal no reconnect can fix stops the client; others retry with growing back-off", async () => {
  FakeSocket.all = [];
  const refused = new SmoothClient({ url: "ws://smooth/ws", agentId: AGENT, retryMs: [5], retryJitterMs: 0 });
  const seen = record(refused);
  refused.start();
  FakeSocket.all[0].open();
  await answer(FakeSocket.all[0], (frame) => refusal(frame, "ORIGIN_NOT_ALLOWED"));
  await tick(30);
  assert.equal(FakeSocket.all.length, 1); // no reconnect
  assert.deepEqual(seen.filter(([type]) => type === "failed").map(([, detail]) => [detail.code, detail.fatal]), [["ORIGIN_NOT_ALLOWED", true]]);

  FakeSocket.all = [];
  const retrying = new SmoothClient({ url: "ws://smooth/ws", agentId: AGENT, retryMs: [5, 40], retryJitterMs: 0 });
  const delays = [];
  retrying.addEventListener("status", ({ detail }) => detail.retryInMs && delays.push(detail.retryInMs));
  retrying.start();
  for (let attempt = 0; attempt < 3; attempt += 1) {
    await tick(60);
    FakeSocket.all.at(-1).open();
    await answer(FakeSocket.all.at(-1), (frame) => refusal(frame, "INTERNAL_ERROR")); // the database is down
  }
  await tick(60);
  assert.deepEqual(delays, [5, 40, 40]); // grows, and does not start over while attaching keeps failing
  assert.equal(FakeSocket.all.length, 4);
  retrying.stop();
  await tick(60);
  assert.equal(FakeSocket.all.length, 4); // stop() cancels the pending reconnect
});

test("the host page's authContext is asked for each new session", async () => {
  FakeSocket.all = [];
  let calls = 0;
  const authContext = async () => ({ userId: "u-1", timestamp: 1700000000 + ++calls, signature: "ab" });
  const client = new SmoothClient({ url: "ws://smooth/ws", agentId: AGENT, authContext, retryMs: [5], retryJitterMs: 0 });
  client.start();
  FakeSocket.all[0].open();
  const create = await answer(FakeSocket.all[0], (frame) => created(frame));
  assert.deepEqual(create.authContext, { userId: "u-1", timestamp: 1700000001, signature: "ab" });
  client.stop();
});

test("the client keeps the session's resume token and re-attaches with it, taking the renewed one", async () => {
  FakeSocket.all = [];
  const kept = storage();
  const client = new SmoothClient({ url: "ws://smooth/ws", agentId: AGENT, storage: kept, retryMs: [5], retryJitterMs: 0 });
  client.start();
  FakeSocket.all[0].open();
  const create = await answer(FakeSocket.all[0], (frame) => created(frame));
  assert.deepEqual(create.supports, ["resume_token", "identity_form", "choice_chips"]);
  await tick();
  const token = (frame, value) => ({ type: "immediate_response", requestId: frame.requestId, status: 200, message: "Resume token", data: { sessionId: "s-1", resumeToken: value, expiresAt: 1 } });
  FakeSocket.all[0].reply(token(create, "token-1"));
  FakeSocket.all[0].reply({ ...token(create, "not-ours"), data: { sessionId: "s-other", resumeToken: "not-ours", expiresAt: 1 } });
  assert.equal(kept.getItem(`smooth.session.${AGENT}.token`), "token-1");

  FakeSocket.all[0].drop();
  await tick(20);
  FakeSocket.all[1].open();
  const attach = await answer(FakeSocket.all[1], found);
  assert.deepEqual([attach.action, attach.sessionId, attach.resumeToken], ["get_session", "s-1", "token-1"]);
  FakeSocket.all[1].reply(token(attach, "token-2"));
  await answer(FakeSocket.all[1], (frame) => page(frame, []));
  await tick();
  assert.equal(kept.getItem(`smooth.session.${AGENT}.token`), "token-2");

  // A tab reloaded (a new client on the same storage) re-attaches with it too.
  client.stop();
  FakeSocket.all = [];
  const reloaded = new SmoothClient({ url: "ws://smooth/ws", agentId: AGENT, storage: kept, retryMs: [5], retryJitterMs: 0 });
  reloaded.start();
  FakeSocket.all[0].open();
  const again = await answer(FakeSocket.all[0], (frame) => refusal(frame, "SESSION_NOT_FOUND")); // expired meanwhile
  assert.equal(again.resumeToken, "token-2");
  await tick();
  assert.equal(kept.getItem(`smooth.session.${AGENT}.token`), null); // forgotten with its session
  reloaded.stop();
});

const ack = (requestId) => ({ type: "immediate_response", requestId, status: 202, data: { sessionId: "s-1" } });
const token = (requestId, text) => ({ type: "stream_token", requestId, token: text, data: { requestId, token: text } });
const final = (requestId, text) => ({ type: "eventual_response", requestId, status: 200, data: { requestId, status: 200, data: { messageId: "m", response: { responseParts: [text] }, needsEscalation: false } } });

async function connected(client) {
  client.start();
  FakeSocket.all.at(-1).open();
  await answer(FakeSocket.all.at(-1), (frame) => created(frame));
  await tick();
}

// A fresh client with its session created, and the record of what it emitted.
async function connectedClient(options = {}) {
  FakeSocket.all = [];
  const client = new SmoothClient({ url: "ws://smooth/ws", agentId: AGENT, storage: storage(), retryMs: [5], retryJitterMs: 0, ...options });
  const seen = record(client);
  await connected(client);
  return { client, seen };
}

// A message accepted on the first socket, then that connection lost.
async function acceptedThenDropped(client) {
  const requestId = client.send("returns?");
  FakeSocket.all[0].reply(ack(requestId));
  FakeSocket.all[0].drop();
  await tick(20);
  return requestId;
}

test("a turn cut off mid-answer resumes from where it left off on the new connection", async () => {
  const { client, seen } = await connectedClient();
  const requestId = client.send("returns?");
  const first = FakeSocket.all[0];
  first.reply(ack(requestId));
  first.reply(token(requestId, "Within "));
  first.reply(token(requestId, "17 "));
  first.drop();
  await tick(20);
  assert.deepEqual(seen.filter(([type]) => type === "failed"), []); // not given up: the turn goes on server-side

  const second = FakeSocket.all[1];
  second.open();
  const attach = await answer(second, found);
  assert.deepEqual(attach.resume, { requestId, eventsReceived: 2 });
  second.reply(token(requestId, "days.")); // what it missed, then the rest
  second.reply(final(requestId, "Within 17 days."));
  await answer(second, (frame) => page(frame, []));
  await tick();
  const replies = seen.filter(([type]) => type === "reply").map(([, detail]) => detail.text);
  assert.deepEqual(replies, ["Within 17 days."]);
  assert.deepEqual(seen.filter(([type]) => type === "token").map(([, detail]) => detail.token).join(""), "Within 17 days.");
  assert.equal(client.busy(), false);
  client.stop();
});

test("a connection lost too long ago is not resumed: the history is the truth", async () => {
  const { client, seen } = await connectedClient();
  const requestId = await acceptedThenDropped(client);
  client.lostAt -= 10 * 60 * 1000; // ten minutes ago
  FakeSocket.all[1].open();
  const attach = await answer(FakeSocket.all[1], found);
  assert.equal(attach.resume, undefined);
  assert.deepEqual(seen.filter(([type]) => type === "failed").map(([, detail]) => [detail.requestId, detail.code, detail.accepted]), [[requestId, "DISCONNECTED", true]]);
  client.stop();
});

test("a resumed turn that never speaks again is given up", async () => {
  const { client, seen } = await connectedClient({ resumedQuietMs: 30 });
  await acceptedThenDropped(client);
  FakeSocket.all[1].open();
  await answer(FakeSocket.all[1], found);
  await answer(FakeSocket.all[1], (frame) => page(frame, []));
  await tick(60);
  assert.deepEqual(seen.filter(([type]) => type === "failed").map(([, detail]) => detail.code), ["DISCONNECTED"]);
  assert.equal(client.busy(), false);
  client.stop();
});

test("another tab's turn shows here live, and a stop from any tab ends it", async () => {
  FakeSocket.all = [];
  const client = new SmoothClient({ url: "ws://smooth/ws", agentId: AGENT, storage: storage(), retryMs: [5], retryJitterMs: 0 });
  const seen = record(client);
  client.addEventListener("turn", ({ detail }) => seen.push(["turn", detail]));
  client.addEventListener("cancelled", ({ detail }) => seen.push(["cancelled", detail]));
  await connected(client);
  const socket = FakeSocket.all[0];
  socket.reply(token("other-tab", "Hel"));
  assert.deepEqual(seen.filter(([type]) => type === "turn").map(([, detail]) => [detail.requestId, detail.mine]), [["other-tab", false]]);
  assert.equal(client.busy(), true);
  client.cancel("other-tab");
  assert.deepEqual(socket.sent.at(-1), { action: "cancel", requestId: "other-tab", sessionId: "s-1" });
  socket.reply({ type: "cancelled", requestId: "other-tab", status: 499, data: { requestId: "other-tab", status: 499 } });
  assert.deepEqual(seen.filter(([type]) => type === "cancelled").map(([, detail]) => detail.requestId), ["other-tab"]);
  assert.equal(client.busy(), false);
  client.stop();
});

test("a message refused before it began is failed as not accepted", async () => {
  const { client, seen } = await connectedClient();
  const requestId = client.send("too soon");
  FakeSocket.all[0].reply(refusal({ requestId }, "TURN_IN_PROGRESS"));
  assert.deepEqual(seen.filter(([type]) => type === "failed").map(([, detail]) => [detail.code, detail.accepted]), [["TURN_IN_PROGRESS", false]]);
  assert.equal(client.busy(), false);
  client.stop();
});

test("a turn that waits tells the page what for, and the visitor's answers go under the turn's requestId", async () => {
  FakeSocket.all = [];
  const client = new SmoothClient({ url: "ws://smooth/ws", agentId: AGENT, retryMs: [5], retryJitterMs: 0 });
  const seen = [];
  for (const type of ["confirm", "interaction", "interaction-invalid", "otp", "otp-sent", "preamble", "reply", "failed"]) {
    client.addEventListener(type, ({ detail }) => seen.push([type, detail]));
  }
  client.start();
  FakeSocket.all[0].open();
  await answer(FakeSocket.all[0], (frame) => created(frame));
  await tick();
  const socket = FakeSocket.all[0];
  const requestId = client.send("delete record 42");
  socket.reply({ type: "immediate_response", requestId, status: 202, data: { sessionId: "s-1" } });
  socket.reply({ type: "stream_preamble", requestId, token: "One moment.", data: { requestId, token: "One moment." } });
  socket.reply({ type: "write_confirmation_required", requestId, data: { requestId, data: { toolId: "delete_record", actionDescription: "Delete record 42" } } });
  socket.reply({ type: "keepalive", requestId, data: { requestId } });
  assert.deepEqual(seen.slice(0, 2), [
    ["preamble", { requestId, token: "One moment." }],
    ["confirm", { requestId, toolId: "delete_record", description: "Delete record 42" }],
  ]);
  assert.equal(client.turns.get(requestId).events, 2); // the keepalive is no journal event: a resume must not count it

  const stray = client.confirm(requestId, true);
  const sent = socket.sent.at(-1);
  assert.deepEqual([sent.action, sent.requestId, sent.approved, sent.sessionId], ["confirm_tool_action", requestId, true, "s-1"]);
  socket.reply(refusal(sent, "NO_PENDING_CONFIRMATION"));
  await assert.rejects(stray, (error) => error.code === "NO_PENDING_CONFIRMATION");
  assert.ok(client.turns.has(requestId)); // a refused answer does not end the turn

  socket.reply({ type: "interaction_required", requestId, data: { requestId, data: { interactionId: "i-1", kind: "identity_intake", spec: { fields: [] }, reason: "r" } } });
  const submitted = client.submitInteraction(requestId, "i-1", { values: { email: "bad" } });
  const submit = socket.sent.at(-1);
  assert.deepEqual([submit.action, submit.requestId, submit.interactionId, submit.values], ["submit_interaction", requestId, "i-1", { email: "bad" }]);
  const invalid = { type: "interaction_invalid", requestId, data: { requestId, data: { interactionId: "i-1", kind: "identity_intake", errors: [{ field: "email", message: "m" }], message: "Some fields need attention." } } };
  socket.reply(invalid);
  assert.equal((await submitted).type, "interaction_invalid");
  socket.reply(invalid); // one that reaches no waiting answer (another tab sent it) is a turn event
  assert.deepEqual(seen.find(([type]) => type === "interaction-invalid")[1].errors, [{ field: "email", message: "m" }]);
  assert.equal(client.turns.get(requestId).events, 3); // interaction_invalid is sent to a socket, not journaled

  socket.reply({ type: "otp_verification_required", requestId, data: { requestId, data: { toolId: "t", actionDescription: "a", availableChannels: ["email"], authLevel: "end_user" } } });
  socket.reply({ type: "otp_sent", requestId, data: { requestId, data: { channel: "email", maskedDestination: "a***@b.c" } } });
  assert.deepEqual(seen.filter(([type]) => type.startsWith("otp")).map(([type, detail]) => [type, detail.availableChannels || detail.maskedDestination]), [
    ["otp", ["email"]],
    ["otp-sent", "a***@b.c"],
  ]);
  const verifying = client.verifyOtp("123456");
  const verify = socket.sent.at(-1);
  assert.equal(verify.action, "verify_otp");
  socket.reply({ type: "otp_verified", requestId: verify.requestId, data: { requestId: verify.requestId, data: { message: "ok" } } });
  assert.equal((await verifying).type, "otp_verified");
  client.stop();
});
