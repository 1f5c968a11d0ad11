// The browser client's side of the working line and the visitor's own data, against a
// scripted fake WebSocket: the 202 and a tool call are told to the page, and
// smooth.download_transcript / smooth.delete_conversation are sent for the session, with the
// erasure notice every tab of the session gets.
import assert from "node:assert/strict";
import { test } from "node:test";

import { FakeSocket } from "./fake_socket.mjs";

const { SmoothClient } = await import("../../chat/static/smooth/client.js");
const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

async function connected() {
  FakeSocket.all = [];
  const client = new SmoothClient({ url: "ws://smooth/ws", agentId: "a-1", retryMs: [60000], retryJitterMs: 0 });
  const seen = [];
  for (const type of ["accepted", "activity", "token", "reply", "deleted"]) client.addEventListener(type, ({ detail }) => seen.push([type, detail]));
  client.start();
  const socket = FakeSocket.all[0];
  socket.open();
  await tick();
  socket.reply({ type: "immediate_response", requestId: socket.sent.at(-1).requestId, status: 200, data: { sessionId: "s-1" } });
  await tick();
  return { client, socket, seen };
}

const chunk = (requestId, rawResponse) => ({ type: "stream_chunk", requestId, node: "tools", data: { requestId, node: "tools", state: { rawResponse } } });

test("the 202 and each tool call are told to the page, before the first token", async () => {
  const { client, socket, seen } = await connected();
  const requestId = client.send("returns?");
  socket.reply({ type: "immediate_response", requestId, status: 202, data: { sessionId: "s-1" } });
  socket.reply(chunk(requestId, { toolCall: { name: "knowledge_search", arguments: { query: "returns" } } }));
  socket.reply(chunk(requestId, { toolResult: { name: "knowledge_search", isError: false, result: [] } }));
  socket.reply({ type: "stream_token", requestId, token: "Within" });
  assert.deepEqual(seen, [
    ["accepted", { requestId }],
    ["activity", { requestId, tool: "knowledge_search" }],
    ["token", { requestId, token: "Within" }],
  ]);
  assert.equal(client.turns.get(requestId).events, 3); // the chunks count for a resume, as before
  socket.reply({ type: "immediate_response", requestId: "not-ours", status: 202, data: { sessionId: "s-1" } });
  assert.equal(seen.length, 3); // another tab's acknowledgement is not this tab's
  client.stop();
});

test("a download and a delete are sent for the session and answered in the response's data", async () => {
  const { client, socket, seen } = await connected();
  const downloading = client.visitorData("download_transcript", { format: "html", lang: "de" });
  const { requestId, ...frame } = socket.sent.at(-1);
  assert.deepEqual(frame, { action: "smooth.download_transcript", sessionId: "s-1", format: "html", lang: "de" });
  const file = { filename: "conversation-2026-12-03.html", contentType: "text/html; charset=utf-8", content: "<p>hi</p>" };
  socket.reply({ type: "immediate_response", requestId, status: 200, data: file });
  assert.deepEqual((await downloading).data, file);

  const deleting = client.visitorData("delete_conversation");
  const asked = socket.sent.at(-1);
  assert.deepEqual([asked.action, asked.sessionId], ["smooth.delete_conversation", "s-1"]);
  socket.reply({ type: "immediate_response", requestId: asked.requestId, status: 200, data: { deleted: true, messages: 4 } });
  assert.deepEqual((await deleting).data, { deleted: true, messages: 4 });
  // The notice every socket of the session gets (no requestId): this session's empties the panel.
  socket.reply({ type: "immediate_response", status: 200, data: { deleted: true, messages: 4, sessionId: "s-other" } });
  assert.deepEqual(seen, []);
  socket.reply({ type: "immediate_response", status: 200, data: { deleted: true, messages: 4, sessionId: "s-1" } });
  assert.deepEqual(seen, [["deleted", {}]]);
  client.stop();
});

test("a refused delete rejects with the server's code, and nothing is asked while the connection is down", async () => {
  const { client, socket } = await connected();
  const deleting = client.visitorData("delete_conversation");
  const error = { code: "UNSUPPORTED_ACTION", message: "turned off" };
  socket.reply({ type: "error", requestId: socket.sent.at(-1).requestId, error, data: { error } });
  await assert.rejects(deleting, { code: "UNSUPPORTED_ACTION" });
  socket.close();
  await tick();
  const before = socket.sent.length;
  await assert.rejects(client.visitorData("download_transcript", { format: "text" }), { code: "DISCONNECTED" });
  assert.equal(socket.sent.length, before);
  client.stop();
});
