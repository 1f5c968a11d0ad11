// A smooth-operator protocol client for browsers: one session over /ws that
// survives dropped connections. After a reconnect it re-attaches to its session
// (get_session) and re-reads the conversation, instead of starting over.
// It declares Smooth's "resume_token" capability and keeps the session's resume
// token beside its id, so a new connection proves it is the same client (the
// token is renewed on every re-attach). A turn belongs to the session: its events
// reach every tab, one tab's Stop ends it for all, and a turn under way when the
// connection dropped continues where it left off (get_session with `resume`).
//
// Events (CustomEvent detail):
//   status     {state: "connecting" | "open" | "reconnecting" | "stopped", retryInMs?}
//   ready      {sessionId, resumed}       the session can take messages
//   history    {messages}                 the conversation so far, oldest first
//   turn       {requestId, mine, text}    a turn has begun (mine: this tab sent it)
//   token      {requestId, token}
//   reply      {requestId, messageId, text, citations}   messageId: the stored answer (rateAnswer())
//   cancelled  {requestId}                stopped (from this tab or another)
//   failed     {requestId, code, message, fatal, accepted}   accepted: the server had begun it
//   preamble   {requestId, token}         a passing "working on it" line, before the answer
//   confirm    {requestId, toolId, description}   the turn waits: may the tool run? (confirm())
//   interaction {requestId, interactionId, kind, spec, reason}   the turn waits for a card (submitInteraction())
//   interaction-invalid {requestId, interactionId, errors, message}   the card's answer was refused
//   otp        {requestId, toolId, availableChannels}   the visitor must verify (verifyOtp())
//   otp-sent   {requestId, channel, maskedDestination}

const RETRY_MS = [500, 1000, 2000, 4000, 8000];
// Refusals that reconnecting cannot fix: the page must change, not the network.
const FATAL = new Set(["ORIGIN_NOT_ALLOWED", "AGENT_NOT_AUTHORIZED", "AUTH_CONTEXT_INVALID", "LLM_UNAVAILABLE"]);
const TURN_EVENTS = new Set([
  "stream_token", "stream_chunk", "eventual_response", "error", "cancelled", "stream_preamble", "keepalive",
  "write_confirmation_required", "interaction_required", "interaction_invalid", "otp_verification_required", "otp_sent",
]);
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
// A turn cut off for longer than this is not resumed (the server keeps a turn's
// events five minutes after its last one); its answer is read from the history.
const RESUME_WINDOW_MS = 120000;
// A resumed turn that says nothing for this long is given up (its process may have died).
const RESUMED_QUIET_MS = 45000;

export class SmoothClient extends EventTarget {
  constructor({ url, agentId, authContext = null, storage = null, storageKey = "smooth.session", retryMs = RETRY_MS, retryJitterMs = 250, resumedQuietMs = RESUMED_QUIET_MS }) {
    super();
    this.retryMs = retryMs;
    this.retryJitterMs = retryJitterMs; // so a restarted server is not met by every client at once
    this.resumedQuietMs = resumedQuietMs;
    this.url = url;
    this.agentId = agentId;
    this.authContext = authContext; // async () => ({userId, signature, timestamp}) or null
    this.storage = storage;
    this.storageKey = `${storageKey}.${agentId}`;
    this.sessionId = storage ? storage.getItem(this.storageKey) : null;
    this.resumeToken = storage ? storage.getItem(`${this.storageKey}.token`) : null;
    this.socket = null;
    this.attempt = 0;
    this.stopped = false;
    this.sequence = 0;
    this.pending = new Map(); // requestId -> {resolve, reject} for request/response actions
    this.turns = new Map(); // requestId -> {text, events, mine, quietTimer} for turns under way
    this.lostAt = null; // when the connection dropped
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
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
      const fatal = FATAL.has(error.code);
      this.emit("failed", { requestId: null, code: error.code || "INTERNAL_ERROR", message: error.message, fatal });
      if (fatal) this.stop();
      else this.socket.close(); // e.g. the server's database is down: try again, later each time
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
        if (resuming) this.watchQuiet(resuming); // what it missed, then the rest, arrive as turn events
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
    if (this.storage) this.storage.setItem(this.storageKey, this.sessionId);
    this.emit("history", { messages: [] });
    this.emit("ready", { sessionId: this.sessionId, resumed: false });
  }

  // The turn under way when the connection dropped, if it dropped recently enough to resume.
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
      if (this.turns.delete(requestId)) this.emit("failed", { requestId, code: "DISCONNECTED", message: "the answer did not continue", fatal: false, accepted: true });
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
      this.emit("failed", { requestId: null, code: error.code || "INTERNAL_ERROR", message: error.message, fatal: FATAL.has(error.code) });
    }
  }

  forgetSession() {
    this.sessionId = this.resumeToken = null;
    if (this.storage) {
      this.storage.removeItem(this.storageKey);
      this.storage.removeItem(`${this.storageKey}.token`);
    }
  }

  keepResumeToken({ sessionId, resumeToken }) {
    // Sent right after the session's own answer; it names the session it is for.
    if (sessionId !== this.sessionId) return;
    this.resumeToken = resumeToken;
    if (this.storage) this.storage.setItem(`${this.storageKey}.token`, resumeToken);
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

  // The Stop button: ends the turn for every tab of the session (they all get `cancelled`).
  cancel(requestId) {
    if (!this.turns.has(requestId) || !this.socket || this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(JSON.stringify({ action: "cancel", requestId, sessionId: this.sessionId }));
  }

  busy() {
    return this.turns.size > 0;
  }

  // The visitor's answers to the turn `requestId` waits on, sent under its requestId as the
  // spec asks: the next event of that id (the acknowledgement, a refusal, interaction_invalid)
  // settles the answer; the rest of the turn follows as turn events.
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

  // Smooth's own action: the visitor's "up" or "down" on an answer, with an optional comment;
  // a new rating replaces the earlier one. Rejects at once when the socket is not open.
  rateAnswer(messageId, rating, comment = "") {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(Object.assign(new Error("not connected"), { code: "DISCONNECTED" }));
    }
    const frame = { action: "smooth.rate_answer", sessionId: this.sessionId, messageId, rating };
    if (comment) frame.comment = comment;
    return this.request(frame);
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
      if (turn) turn.acknowledged = true; // its events are counted from here
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
      turn = { text: "", events: 0, mine: false, acknowledged: true }; // another tab's turn: shown live here too
      this.turns.set(requestId, turn);
      this.emit("turn", { requestId, mine: false, text: "" });
    }
    if (turn.mine && !turn.acknowledged && event.type === "error") {
      // Refused before it began (TURN_IN_PROGRESS, SESSION_NOT_FOUND, …): no turn at all.
      this.turns.delete(requestId);
      this.emit("failed", { requestId, code: event.error.code, message: event.error.message, fatal: FATAL.has(event.error.code), accepted: false });
      return;
    }
    turn.events += 1;
    if (turn.quietTimer) this.watchQuiet(requestId);
    if (event.type === "stream_token") {
      turn.text += event.token;
      this.emit("token", { requestId, token: event.token });
      return;
    }
    if (event.type === "stream_chunk") return;
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
      const quoted = payload.response.quoted === true; // Smooth's offline answers: quoted from the help articles
      this.emit("reply", { requestId, messageId: payload.messageId, text: payload.response.responseParts.join("\n\n"), citations: payload.citations || [], quoted });
    } else if (event.type === "cancelled") {
      this.emit("cancelled", { requestId });
    } else {
      this.emit("failed", { requestId, code: event.error.code, message: event.error.message, fatal: FATAL.has(event.error.code), accepted: true });
    }
  }

  failTurns(code, message) {
    for (const [requestId, turn] of this.turns) {
      clearTimeout(turn.quietTimer);
      this.emit("failed", { requestId, code, message, fatal: false, accepted: turn.acknowledged });
    }
    this.turns.clear();
  }

  onClose(socket) {
    if (socket !== this.socket) return;
    for (const { reject } of this.pending.values()) reject(Object.assign(new Error("connection lost"), { code: "DISCONNECTED" }));
    this.pending.clear();
    // Turns under way stay: the session's turn goes on without us, and is resumed on reconnect.
    for (const [requestId, turn] of this.turns) {
      if (!turn.acknowledged) {
        this.turns.delete(requestId); // never accepted: nothing to resume
        this.emit("failed", { requestId, code: "DISCONNECTED", message: "connection lost", fatal: false, accepted: false });
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

export function socketUrl(base) {
  const url = new URL("/ws", base);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}
