// The browser's smooth-operator client: one session over /ws that survives dropped
// connections (docs/USING.md, "The chat page and the widget"). Events (CustomEvent detail;
// a turn's carry its requestId): status {state, retryInMs?}, ready {sessionId, resumed},
// history {messages} (oldest first), turn (another tab's began), accepted (the 202),
// activity {tool}, token {token}, preamble {token}, reply {messageId, text, citations, quoted},
// cancelled, failed {code, message, fatal, accepted}, confirm {toolId, description},
// interaction {interactionId, kind, spec, reason}, interaction-invalid {errors, message},
// otp {availableChannels}, otp-sent {maskedDestination}, operator {text, name, handoff} (a person),
// deleted (the conversation was erased).

const RETRY_MS = [500, 1000, 2000, 4000, 8000];
// Refusals that reconnecting cannot fix: the page must change, not the network.
const FATAL = new Set(["ORIGIN_NOT_ALLOWED", "AGENT_NOT_AUTHORIZED", "AUTH_CONTEXT_INVALID", "LLM_UNAVAILABLE"]);
// A turn's events that its journal does not keep, so a resume does not count them.
const UNNUMBERED = new Set(["keepalive", "interaction_invalid"]);
// Smooth's capabilities (resume tokens) and the cards this client renders (cards.js).
const SUPPORTS = ["resume_token", "identity_form", "choice_chips"];
// The turn events that tell the page what the turn waits for, and under what name.
const PROMPTS = {
  write_confirmation_required: (data) => ["confirm", { toolId: data.toolId, description: data.actionDescription }],
  interaction_required: (data) => ["interaction", data],
  otp_verification_required: (data) => ["otp", data],
  otp_sent: (data) => ["otp-sent", data],
};
const TURN_EVENTS = new Set(["stream_token", "stream_chunk", "eventual_response", "error", "cancelled", "stream_preamble", ...UNNUMBERED, ...Object.keys(PROMPTS)]);
// A turn cut off longer than this is not resumed (its answer is read from the history);
// a resumed turn quiet this long is given up (its process may have died).
const RESUME_WINDOW_MS = 120000;
const RESUMED_QUIET_MS = 45000;

export class SmoothClient extends EventTarget {
  constructor({ url, agentId, authContext = null, storage = null, storageKey = "smooth.session", retryMs = RETRY_MS, retryJitterMs = 250, resumedQuietMs = RESUMED_QUIET_MS }) {
    super();
    // authContext: async () => ({userId, signature, timestamp}) or null; retryJitterMs: a restarted
    // server is not met by every client at once; turns: requestId -> {text, events, mine, acknowledged, quietTimer}.
    Object.assign(this, { url, agentId, authContext, storage, retryMs, retryJitterMs, resumedQuietMs, attempt: 0, sequence: 0, lostAt: null });
    Object.assign(this, { socket: null, stopped: false, pending: new Map(), turns: new Map(), storageKey: `${storageKey}.${agentId}` });
    this.sessionId = storage?.getItem(this.storageKey) ?? null;
    this.resumeToken = storage?.getItem(`${this.storageKey}.token`) ?? null;
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  fail(requestId, code = "INTERNAL_ERROR", message = "", accepted = true) {
    this.emit("failed", { requestId, code, message, fatal: FATAL.has(code), accepted });
  }

  nextId(prefix) {
    this.sequence += 1;
    return `${prefix}-${Date.now().toString(36)}-${this.sequence}`;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    for (const turn of this.turns.values()) clearTimeout(turn.quietTimer);
    if (this.socket) this.socket.close(1000);
    this.emit("status", { state: "stopped" });
  }

  connect() {
    if (this.stopped) return;
    this.emit("status", { state: this.attempt ? "reconnecting" : "connecting" });
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener("open", () => this.onOpen());
    socket.addEventListener("message", (message) => this.onMessage(message));
    socket.addEventListener("close", () => this.onClose(socket));
  }

  async onOpen() {
    this.emit("status", { state: "open" });
    try {
      await this.attach();
      this.attempt = 0; // back-off restarts only once the session is back
    } catch (error) {
      if (error.code === "DISCONNECTED") return; // onClose reconnects
      this.fail(null, error.code, error.message);
      if (FATAL.has(error.code)) this.stop();
      else this.socket.close(); // e.g. the database is down: try again, later each time
    }
  }

  async attach() {
    if (this.sessionId) {
      try {
        const frame = { action: "get_session", sessionId: this.sessionId };
        if (this.resumeToken) frame.resumeToken = this.resumeToken;
        const resuming = this.resumable();
        if (resuming) frame.resume = { requestId: resuming, eventsReceived: this.turns.get(resuming).events };
        await this.request(frame);
        this.lostAt = null;
        if (resuming) this.watchQuiet(resuming); // what it missed, then the rest, arrive as events
        await this.readHistory();
        this.emit("ready", { sessionId: this.sessionId, resumed: true });
        return;
      } catch (error) {
        if (error.code !== "SESSION_NOT_FOUND") throw error;
        this.forgetSession(); // expired or deleted: start a new one
      }
    }
    this.failTurns("DISCONNECTED", "connection lost");
    const frame = { action: "create_conversation_session", agentId: this.agentId, supports: SUPPORTS };
    if (this.authContext) {
      const context = await this.authContext();
      if (context) frame.authContext = context;
    }
    const created = await this.request(frame);
    this.sessionId = created.data.sessionId;
    this.storage?.setItem(this.storageKey, this.sessionId);
    this.emit("history", { messages: [] });
    this.emit("ready", { sessionId: this.sessionId, resumed: false });
  }

  // The turn under way when the connection dropped, if recently enough to resume.
  resumable() {
    if (this.lostAt === null || Date.now() - this.lostAt > RESUME_WINDOW_MS) {
      this.failTurns("DISCONNECTED", "connection lost");
      return null;
    }
    const [requestId] = this.turns.keys(); // one turn per session
    return requestId ?? null;
  }

  watchQuiet(requestId) {
    const turn = this.turns.get(requestId);
    if (!turn) return;
    clearTimeout(turn.quietTimer);
    turn.quietTimer = setTimeout(() => {
      if (this.turns.delete(requestId)) this.fail(requestId, "DISCONNECTED", "the answer did not continue");
    }, this.resumedQuietMs);
  }

  async readHistory() {
    const page = await this.request({ action: "get_conversation_messages", sessionId: this.sessionId, limit: 100 });
    this.emit("history", { messages: page.data.messages.slice().reverse() });
  }

  // A new conversation on the same connection (this one has spent its allowance).
  async startOver() {
    this.forgetSession();
    try {
      await this.attach();
    } catch (error) {
      this.fail(null, error.code, error.message);
    }
  }

  forgetSession() {
    this.sessionId = this.resumeToken = null;
    this.storage?.removeItem(this.storageKey);
    this.storage?.removeItem(`${this.storageKey}.token`);
  }

  keepResumeToken({ sessionId, resumeToken }) {
    if (sessionId !== this.sessionId) return;
    this.resumeToken = resumeToken;
    this.storage?.setItem(`${this.storageKey}.token`, resumeToken);
  }

  request(frame, requestId = this.nextId(frame.action)) {
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.socket.send(JSON.stringify({ ...frame, requestId }));
    });
  }

  send(text) {
    const requestId = this.nextId("msg");
    this.turns.set(requestId, { text: "", events: 0, mine: true, acknowledged: false });
    this.socket.send(JSON.stringify({ action: "send_message", requestId, sessionId: this.sessionId, message: text }));
    return requestId;
  }

  // Stop: ends the turn for every tab of the session.
  cancel(requestId) {
    if (!this.turns.has(requestId) || this.socket?.readyState !== WebSocket.OPEN) return;
    this.socket.send(JSON.stringify({ action: "cancel", requestId, sessionId: this.sessionId }));
  }

  busy() {
    return this.turns.size > 0;
  }

  // The visitor's answers to what turn `requestId` waits on, sent under its requestId: the next
  // event of that id (acknowledgement, refusal, interaction_invalid) settles it.
  confirm(requestId, approved) {
    return this.request({ action: "confirm_tool_action", sessionId: this.sessionId, approved }, requestId);
  }

  submitInteraction(requestId, interactionId, answer) {
    return this.request({ action: "submit_interaction", sessionId: this.sessionId, interactionId, ...answer }, requestId);
  }

  // Resolves with otp_verified or otp_invalid.
  verifyOtp(code) {
    return this.request({ action: "verify_otp", sessionId: this.sessionId, code });
  }

  // Smooth's own actions, answered in immediate_response's data (smooth.rate_answer,
  // .download_transcript, .delete_conversation); rejected at once while the socket is down.
  visitorData(action, fields = {}) {
    if (this.socket?.readyState !== WebSocket.OPEN) return Promise.reject(lost());
    return this.request({ action: `smooth.${action}`, sessionId: this.sessionId, ...fields });
  }

  rateAnswer(messageId, rating, comment = "") {
    return this.visitorData("rate_answer", comment ? { messageId, rating, comment } : { messageId, rating });
  }

  onMessage(message) {
    let event;
    try {
      event = JSON.parse(message.data);
    } catch {
      return; // not ours to show
    }
    if (event.type === "immediate_response" && typeof event.data?.resumeToken === "string") {
      this.keepResumeToken(event.data);
      return;
    }
    if (event.type === "immediate_response" && event.data?.deleted && !event.requestId) {
      // The session's conversation was erased (from this tab or another).
      if (event.data.sessionId === this.sessionId) this.emit("deleted", {});
      return;
    }
    const requestId = event.requestId ?? event.data?.requestId ?? null;
    const waiting = requestId && this.pending.get(requestId);
    if (waiting) {
      this.pending.delete(requestId);
      if (event.type === "error") waiting.reject(Object.assign(new Error(event.error.message), { code: event.error.code }));
      else waiting.resolve(event);
      return;
    }
    if (event.type === "immediate_response" && event.status === 202) {
      const turn = this.turns.get(requestId);
      if (!turn) return;
      turn.acknowledged = true; // its events are counted from here
      this.emit("accepted", { requestId });
      return;
    }
    if (!requestId || !TURN_EVENTS.has(event.type)) return;
    this.onTurnEvent(requestId, event);
  }

  onTurnEvent(requestId, event) {
    let turn = this.turns.get(requestId);
    if (UNNUMBERED.has(event.type)) {
      if (event.type === "interaction_invalid") this.emit("interaction-invalid", { requestId, ...event.data.data });
      else if (turn?.quietTimer) this.watchQuiet(requestId); // a keepalive: a resumed turn that waits is alive
      return;
    }
    const operator = event.type === "eventual_response" ? event.data?.data?.response?.operator : undefined;
    if (!turn && operator) {
      // A person's message (Smooth's requestId, no turn before it): joined, a reply, handed back.
      const response = event.data.data.response;
      this.emit("operator", { text: response.responseParts.join("\n\n"), name: operator.name, handoff: operator.step });
      return;
    }
    if (!turn) {
      if (event.type === "error" && event.error?.code === "TURN_IN_PROGRESS") return; // another tab's refusal
      turn = { text: "", events: 0, mine: false, acknowledged: true }; // another tab's: shown live here too
      this.turns.set(requestId, turn);
      this.emit("turn", { requestId, mine: false, text: "" });
    }
    if (turn.mine && !turn.acknowledged && event.type === "error") {
      // Refused before it began (TURN_IN_PROGRESS, SESSION_NOT_FOUND, …): no turn at all.
      this.turns.delete(requestId);
      this.fail(requestId, event.error.code, event.error.message, false);
      return;
    }
    turn.events += 1;
    if (turn.quietTimer) this.watchQuiet(requestId);
    if (event.type === "stream_token") {
      turn.text += event.token;
      this.emit("token", { requestId, token: event.token });
      return;
    }
    if (event.type === "stream_chunk") {
      const call = event.data?.state?.rawResponse?.toolCall;
      if (call) this.emit("activity", { requestId, tool: call.name });
      return;
    }
    if (event.type === "stream_preamble") {
      this.emit("preamble", { requestId, token: event.token });
      return;
    }
    if (PROMPTS[event.type]) {
      const [name, detail] = PROMPTS[event.type](event.data.data);
      this.emit(name, { requestId, ...detail });
      return;
    }
    clearTimeout(turn.quietTimer);
    this.turns.delete(requestId);
    if (event.type === "eventual_response") {
      const payload = event.data.data;
      const { response } = payload; // quoted: Smooth's offline answers, quoted from the help articles
      this.emit("reply", { requestId, messageId: payload.messageId, text: response.responseParts.join("\n\n"), citations: payload.citations || [], quoted: response.quoted === true });
    } else if (event.type === "cancelled") {
      this.emit("cancelled", { requestId });
    } else {
      this.fail(requestId, event.error.code, event.error.message);
    }
  }

  failTurns(code, message) {
    for (const [requestId, turn] of this.turns) {
      clearTimeout(turn.quietTimer);
      this.fail(requestId, code, message, turn.acknowledged);
    }
    this.turns.clear();
  }

  onClose(socket) {
    if (socket !== this.socket) return;
    for (const { reject } of this.pending.values()) reject(lost());
    this.pending.clear();
    // A turn under way goes on without us, and is resumed on reconnect.
    for (const [requestId, turn] of this.turns) {
      if (!turn.acknowledged) {
        this.turns.delete(requestId); // never accepted: nothing to resume
        this.fail(requestId, "DISCONNECTED", "connection lost", false);
      }
    }
    this.lostAt = this.lostAt ?? Date.now();
    if (this.stopped) return;
    const delay = this.retryMs[Math.min(this.attempt, this.retryMs.length - 1)];
    this.reconnectTimer = setTimeout(() => this.connect(), delay + Math.random() * this.retryJitterMs);
    this.attempt += 1;
    this.emit("status", { state: "reconnecting", retryInMs: delay });
  }
}

const lost = () => Object.assign(new Error("connection lost"), { code: "DISCONNECTED" });

// `lang`: the language the server words its refusals in (rate limits, budgets).
export function socketUrl(base, lang) {
  const url = new URL("/ws", base);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  if (lang) url.searchParams.set("lang", lang);
  return url.toString();
}
