// The browser client's side of answer feedback (Smooth's smooth.rate_answer), against a
// scripted fake WebSocket: a reply names its stored message, a rating is sent for it, and a
// rating asked for while the connection is down fails at once instead of hanging.
import assert from "node:assert/strict";
import { test } from "node:test";

import { FakeSocket } from "./fake_socket.mjs";

const { SmoothClient } = await import("../../chat/static/smooth/client.js");
const AGENT = "5e0e7a1c-0000-4000-8000-000000000001";
const MESSAGE = "0b5c7e52-8d1e-4c55-9a52-0c1c2f7c1d01";
const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

async function connected() {
  FakeSocket.all = [];
  const client = new SmoothClient({ url: "ws://smooth/ws", agentId: AGENT, retryMs: [60000], retryJitterMs: 0 });
  client.start();
  const socket = FakeSocket.all[0];
  socket.open();
  await tick();
  const create = socket.sent.at(-1);
  socket.reply({ type: "immediate_response", requestId: create.requestId, status: 200, data: { sessionId: "s-1" } });
  await tick();
  return { client, socket };
}

test("a finished answer names its stored message, and a rating with a comment is sent for it", async () => {
  const { client, socket } = await connected();
  const replies = [];
  client.addEventListener("reply", ({ detail }) => replies.push(detail));
  const requestId = client.send("How long is the return window?");
  const answer = { messageId: MESSAGE, response: { responseParts: ["17 days."] }, needsEscalation: false };
  socket.reply({ type: "eventual_response", requestId, status: 200, data: { requestId, status: 200, data: answer } });
  assert.equal(replies[0].messageId, MESSAGE);

  const rated = client.rateAnswer(MESSAGE, "down", "It is 30 days for sale items.");
  const frame = socket.sent.at(-1);
  const { requestId: rateId, ...sent } = frame;
  assert.deepEqual(sent, { action: "smooth.rate_answer", sessionId: "s-1", messageId: MESSAGE, rating: "down", comment: "It is 30 days for sale items." });
  socket.reply({ type: "immediate_response", requestId: rateId, status: 200, message: "Rating stored", data: { messageId: MESSAGE, rating: "down" } });
  assert.deepEqual((await rated).data, { messageId: MESSAGE, rating: "down" });

  const unanswered = client.rateAnswer(MESSAGE, "up");
  assert.equal("comment" in socket.sent.at(-1), false); // no comment: none sent
  client.stop();
  await assert.rejects(unanswered, { code: "DISCONNECTED" });
});

test("a refused rating rejects with the server's code", async () => {
  const { client, socket } = await connected();
  const rated = client.rateAnswer(MESSAGE, "up");
  const error = { code: "MESSAGE_NOT_FOUND", message: "no answer with this messageId in this session" };
  socket.reply({ type: "error", requestId: socket.sent.at(-1).requestId, error, data: { error } });
  await assert.rejects(rated, { code: "MESSAGE_NOT_FOUND" });
  client.stop();
});

test("a rating asked for while the connection is down fails at once", async () => {
  const { client, socket } = await connected();
  socket.close();
  await tick();
  const before = socket.sent.length;
  await assert.rejects(client.rateAnswer(MESSAGE, "up"), { code: "DISCONNECTED" });
  assert.equal(socket.sent.length, before); // nothing written to a closed socket
  client.stop();
});
