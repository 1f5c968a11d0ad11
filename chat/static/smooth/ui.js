// The chat itself: transcript, streaming reply, citations, the answers' 👍 / 👎,
// status and errors, and the message form. Mounted by the page at / (page.js) and by
// the embeddable widget (widget.js, inside its shadow root). Text is only ever set as text.

import { choicesCard, codeCard, confirmCard, identityCard } from "./cards.js";
import { SmoothClient } from "./client.js";

export { socketUrl } from "./client.js";

// What a visitor reads for each error code; the server's own words are for logs.
const PLAIN_WORDS = {
  ORIGIN_NOT_ALLOWED: "This chat is not enabled on this website.",
  AGENT_NOT_AUTHORIZED: "This chat is not available here.",
  AUTH_CONTEXT_INVALID: "We could not confirm who you are. Please reload the page and try again.",
  LLM_UNAVAILABLE: "The assistant is offline right now. Please try again later.",
  AGENT_ERROR: "The assistant could not answer just now. Please try again.",
  INTERNAL_ERROR: "Something went wrong on our side. Please try again.",
  SESSION_NOT_FOUND: "This conversation is no longer available. Reload the page to start a new one.",
  DISCONNECTED: "The connection dropped before the answer arrived. Reconnecting…",
  TURN_IN_PROGRESS: "Please wait for the answer to finish before sending another message.",
  TURN_EXPIRED: "The assistant waited too long for your answer. Please ask again.",
  NO_PENDING_CONFIRMATION: "That question was already answered, or it expired.",
  NO_PENDING_INTERACTION: "That form was already answered, or it expired.",
  INTERACTION_MISMATCH: "That form is out of date. Please use the newest one.",
};

// Limits the server words for visitors (when to try again; which allowance is used up).
const SERVER_WORDS = new Set(["RATE_LIMITED", "BUDGET_EXCEEDED"]);

function sentence(text) {
  const trimmed = text.trim();
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1) + (/[.!?]$/.test(trimmed) ? "" : ".");
}

function plainWords(code, message) {
  if (code === "VALIDATION_ERROR") return `That message could not be sent: ${message}`;
  if (SERVER_WORDS.has(code) && message) return sentence(message);
  return PLAIN_WORDS[code] || "Something went wrong. Please try again.";
}

function element(doc, tag, attributes = {}, text = null) {
  const node = doc.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== null) node.textContent = text;
  return node;
}

const MAX_MESSAGE = 10000;
const MAX_COMMENT = 2000;
// An answer's ratings: the value sent, the button's face and its accessible name.
const RATINGS = [["up", "👍", "Helpful"], ["down", "👎", "Not helpful"]];
let mounted = 0;

export function mountChat(root, { url, agentId, authContext = null, storage = null, title = "Chat", autofocus = false }) {
  const doc = root.ownerDocument || document;
  mounted += 1;
  const id = (name) => `smooth-${name}-${mounted}`;

  const chat = element(doc, "section", { class: "smooth-chat", "aria-labelledby": id("title") });
  chat.append(element(doc, "h2", { id: id("title"), class: "smooth-title" }, title));
  const status = element(doc, "p", { class: "smooth-status", role: "status" }, "Connecting…");
  const transcript = element(doc, "ol", { class: "smooth-transcript", role: "log", "aria-live": "polite", "aria-label": "Conversation" });
  const alert = element(doc, "p", { class: "smooth-alert", role: "alert" });
  alert.hidden = true;
  // Offered when the conversation has spent what it may: a new one has an allowance of its own.
  const startOver = element(doc, "button", { type: "button", class: "smooth-start-over" }, "Start a new conversation");
  startOver.hidden = true;
  const form = element(doc, "form", { class: "smooth-form" });
  const label = element(doc, "label", { for: id("message"), class: "smooth-label" }, "Your message");
  const input = element(doc, "textarea", { id: id("message"), name: "message", rows: "2", maxlength: String(MAX_MESSAGE), required: "", placeholder: "Ask a question…" });
  const button = element(doc, "button", { type: "submit" }, "Send");
  const stop = element(doc, "button", { type: "button", class: "smooth-stop" }, "Stop");
  stop.hidden = true;
  form.append(label, input, button, stop);
  // Where a card the turn waits on (an action to allow, a form, choices, a code) is shown.
  const prompt = element(doc, "div", { class: "smooth-prompt", role: "region", "aria-label": "The assistant needs your answer" });
  prompt.hidden = true;
  chat.append(status, transcript, alert, startOver, prompt, form);
  root.append(chat);

  const client = new SmoothClient({ url, agentId, authContext, storage });
  const replies = new Map(); // requestId -> the reply's list item while it streams
  const questions = new Map(); // requestId -> this tab's question, until the server accepted it
  let ready = false;
  let refused = false;
  let heldBy = null; // the person who holds the conversation (the AI does not answer meanwhile)

  function setEnabled() {
    const enabled = ready && !refused;
    const answering = client.busy();
    input.disabled = !enabled;
    button.disabled = !enabled || answering; // one answer at a time, in every tab of the session
    stop.hidden = !answering;
    stop.disabled = !enabled;
  }
  setEnabled();

  function showAlert(text, { offerStartOver = false } = {}) {
    alert.textContent = text;
    alert.hidden = !text;
    startOver.hidden = !offerStartOver;
  }

  startOver.addEventListener("click", async () => {
    showAlert("");
    await client.startOver();
    input.focus();
  });

  function scrollToEnd() {
    transcript.scrollTop = transcript.scrollHeight;
  }

  function addMessage(direction, text, speaker = null) {
    const item = element(doc, "li", { class: `smooth-message smooth-${direction}` });
    item.append(element(doc, "span", { class: "smooth-speaker" }, speaker || (direction === "inbound" ? "You" : "Assistant")));
    item.append(element(doc, "p", { class: "smooth-text" }, text));
    transcript.append(item);
    scrollToEnd();
    return item;
  }

  function addStreaming(requestId, text) {
    const reply = addMessage("outbound", text);
    reply.setAttribute("aria-busy", "true"); // announced once, when complete
    replies.set(requestId, reply);
    return reply;
  }

  function endReply(requestId) {
    const item = replies.get(requestId);
    replies.delete(requestId);
    questions.delete(requestId);
    setEnabled();
    return item;
  }

  function addCitations(item, citations) {
    if (!citations.length) return;
    const sources = element(doc, "div", { class: "smooth-sources" });
    sources.append(element(doc, "p", { class: "smooth-sources-title" }, "Sources"));
    const list = element(doc, "ul", { class: "smooth-citations" });
    for (const citation of citations) {
      const entry = element(doc, "li", { class: "smooth-citation" });
      const name = citation.title || citation.id;
      const isWeb = typeof citation.url === "string" && /^https?:\/\//.test(citation.url);
      entry.append(isWeb ? element(doc, "a", { href: citation.url, target: "_blank", rel: "noopener noreferrer" }, name) : element(doc, "span", {}, name));
      if (citation.snippet) entry.append(element(doc, "span", { class: "smooth-snippet" }, citation.snippet));
      list.append(entry);
    }
    sources.append(list);
    item.append(sources);
    scrollToEnd();
  }

  // 👍 / 👎 under an agent's answer (Smooth's smooth.rate_answer), then an optional comment.
  // `given`: the rating the history says the visitor gave already.
  function addFeedback(item, messageId, given = null) {
    const box = element(doc, "div", { class: "smooth-feedback", role: "group", "aria-label": "Rate this answer" });
    const note = element(doc, "p", { class: "smooth-feedback-note", role: "status" });
    const buttons = RATINGS.map(([rating, face, name]) => {
      const rate = element(doc, "button", { type: "button", class: "smooth-rate", "aria-label": name, "aria-pressed": String(rating === given) }, face);
      rate.addEventListener("click", () => send(rating));
      return rate;
    });
    let comment = null;
    box.append(...buttons, note);
    item.append(box);
    scrollToEnd();

    async function send(rating, text = "") {
      for (const rate of buttons) rate.disabled = true;
      const sent = await client.rateAnswer(messageId, rating, text).then(() => true, () => false);
      for (const rate of buttons) rate.disabled = false; // before closeComment() may focus one
      if (!sent) {
        note.textContent = "Your rating could not be sent. Please try again.";
        return;
      }
      given = rating;
      buttons.forEach((rate, index) => rate.setAttribute("aria-pressed", String(RATINGS[index][0] === rating)));
      note.textContent = text ? "Thanks, your comment was sent." : "Thanks for your feedback.";
      if (text) closeComment();
      else openComment();
    }

    function openComment() {
      if (comment) return;
      const boxId = id(`comment-${messageId}`);
      comment = element(doc, "form", { class: "smooth-feedback-comment" });
      const field = element(doc, "textarea", { id: boxId, rows: "2", maxlength: String(MAX_COMMENT) });
      comment.append(element(doc, "label", { for: boxId }, "Tell us more (optional)"), field, element(doc, "button", { type: "submit" }, "Send comment"));
      comment.addEventListener("submit", (submit) => {
        submit.preventDefault();
        if (field.value.trim()) send(given, field.value.trim());
      });
      box.append(comment);
      scrollToEnd();
    }

    function closeComment() {
      const hadFocus = comment?.contains(comment.getRootNode().activeElement);
      comment?.remove();
      comment = null;
      if (hadFocus) buttons[RATINGS.findIndex(([rating]) => rating === given)].focus();
    }
  }

  // The card shown, and the turn it belongs to (null for the code card, which outlives its turn).
  let shown = null;

  function showCard(made, requestId) {
    shown = { ...made, requestId };
    prompt.replaceChildren(made.node);
    prompt.hidden = false;
    scrollToEnd();
    made.focus();
  }

  function clearCard(requestId = undefined) {
    if (!shown || (requestId !== undefined && shown.requestId !== requestId)) return;
    const hadFocus = prompt.contains(prompt.getRootNode().activeElement); // the document's, or the widget's shadow root's
    shown = null;
    prompt.replaceChildren();
    prompt.hidden = true;
    if (hadFocus) input.focus();
  }

  const refusal = (error) => Object.assign(new Error(plainWords(error.code, error.message)), { code: error.code });

  client.addEventListener("confirm", ({ detail }) => {
    const made = confirmCard(doc, detail, (approved) => client.confirm(detail.requestId, approved).then(() => clearCard(detail.requestId), (error) => Promise.reject(refusal(error))));
    showCard(made, detail.requestId);
  });

  client.addEventListener("interaction", ({ detail }) => {
    const render = { identity_intake: identityCard, choices: choicesCard }[detail.kind];
    const submit = (answer) =>
      client.submitInteraction(detail.requestId, detail.interactionId, answer).then(
        (event) => {
          if (event.type === "interaction_invalid") made.showErrors(event.data.data.errors, event.data.data.message);
          else clearCard(detail.requestId);
        },
        (error) => Promise.reject(refusal(error)),
      );
    if (!render) {
      submit({ declined: true }).catch(() => {}); // a kind this page cannot show: the assistant goes on without it
      return;
    }
    const made = render(doc, detail, submit);
    showCard(made, detail.requestId);
  });

  client.addEventListener("interaction-invalid", ({ detail }) => {
    if (shown?.requestId === detail.requestId && shown.showErrors) shown.showErrors(detail.errors, detail.message);
  });

  client.addEventListener("otp", () => {
    const made = codeCard(
      doc,
      (code) =>
        client.verifyOtp(code).then(
          (answer) => {
            if (answer.type === "otp_verified") {
              clearCard();
              status.textContent = "Verified. Ask your question again.";
            }
            return answer;
          },
          (error) => Promise.reject(refusal(error)),
        ),
      () => clearCard(),
    );
    showCard(made, null);
  });

  client.addEventListener("otp-sent", ({ detail }) => {
    if (shown?.sent) shown.sent(detail);
  });

  client.addEventListener("preamble", ({ detail }) => {
    const item = replies.get(detail.requestId);
    const text = item?.querySelector(".smooth-text");
    if (text && !text.textContent) {
      text.textContent = detail.token; // a passing line: the first word of the answer replaces it
      item.classList.add("smooth-preamble");
    }
  });

  client.addEventListener("status", ({ detail }) => {
    if (detail.state === "open" || detail.state === "stopped") return;
    ready = false;
    setEnabled();
    status.textContent = detail.state === "reconnecting" ? "Connection lost. Reconnecting…" : "Connecting…";
    status.dataset.state = detail.state;
  });

  client.addEventListener("history", ({ detail }) => {
    transcript.replaceChildren();
    replies.clear();
    heldBy = null;
    for (const message of detail.messages) {
      const person = message.from?.type === "human-agent" ? message.from.name : null;
      const step = message.content.structuredResponse?.handoff;
      if (step && step !== "message") {
        personStep(step, person);
        continue;
      }
      const item = addMessage(message.direction, message.content.text || "", person);
      if (person) item.classList.add("smooth-person");
      const citations = message.content.structuredResponse?.citations;
      if (citations) addCitations(item, citations);
      if (message.direction === "outbound" && !person) addFeedback(item, message.id, message.content.structuredResponse?.feedback);
    }
    // An answer still under way (resumed after a reconnect, or another tab's) goes on below it.
    for (const [requestId, turn] of client.turns) addStreaming(requestId, turn.text);
    setEnabled();
  });

  client.addEventListener("turn", ({ detail }) => {
    // Another tab of this session asked: its question is stored, read it, then watch the answer.
    setEnabled();
    client.readHistory().catch(() => {}); // a dropped connection re-reads it on reconnect anyway
  });

  let focused = false;
  client.addEventListener("ready", ({ detail }) => {
    ready = true;
    setEnabled();
    if (autofocus && !focused) {
      focused = true; // once: a reconnect must not pull focus away from the page
      input.focus();
    }
    status.textContent = detail.resumed ? "Reconnected." : "Connected. Ask a question.";
    status.dataset.state = "ready";
    if (!refused) showAlert("");
  });

  client.addEventListener("token", ({ detail }) => {
    const item = replies.get(detail.requestId);
    if (item) {
      if (item.classList.contains("smooth-preamble")) {
        item.classList.remove("smooth-preamble");
        item.querySelector(".smooth-text").textContent = "";
      }
      item.querySelector(".smooth-text").textContent += detail.token;
      scrollToEnd();
    }
  });

  client.addEventListener("reply", ({ detail }) => {
    clearCard(detail.requestId);
    const item = endReply(detail.requestId);
    if (!item) return;
    item.querySelector(".smooth-text").textContent = detail.text; // the stored reply is the truth
    item.setAttribute("aria-busy", "false");
    if (detail.quoted) item.append(element(doc, "p", { class: "smooth-quoted" }, "Quoted from our help articles: no AI wrote this answer."));
    addCitations(item, detail.citations);
    if (detail.messageId) addFeedback(item, detail.messageId);
  });

  client.addEventListener("cancelled", ({ detail }) => {
    // Stopped, here or in another tab: the partial answer is not kept (the question is).
    // With a person holding the conversation, it is how each message to them ends: sent, no answer yet.
    clearCard(detail.requestId);
    endReply(detail.requestId)?.remove();
    if (!heldBy) status.textContent = "Stopped.";
  });

  // A person of the team: joined, answers (with their name), hands back to the assistant.
  client.addEventListener("operator", ({ detail }) => {
    if (detail.handoff === "message") addMessage("outbound", detail.text, detail.name).classList.add("smooth-person");
    else personStep(detail.handoff, detail.name);
    status.textContent = heldBy ? `${heldBy} is answering.` : "Connected. Ask a question.";
  });

  function personStep(step, name) {
    if (step === "joined" || step === "taken") {
      heldBy = name;
      addNotice(`A person has joined: ${name}`);
    } else if (step === "returned") {
      heldBy = null;
      addNotice("The assistant is back");
    }
  }

  function addNotice(text) {
    const item = element(doc, "li", { class: "smooth-notice" }, text);
    transcript.append(item);
    scrollToEnd();
  }

  client.addEventListener("failed", ({ detail }) => {
    if (detail.requestId) clearCard(detail.requestId);
    const question = detail.requestId && questions.get(detail.requestId);
    const item = detail.requestId && endReply(detail.requestId);
    if (item) item.remove();
    if (question && !detail.accepted) {
      question.remove(); // refused before it began: not stored; the text goes back to the box
      if (!input.value) input.value = question.querySelector(".smooth-text").textContent;
    }
    if (detail.fatal) {
      refused = true;
      status.textContent = "Chat unavailable.";
      status.dataset.state = "refused";
      setEnabled();
    }
    showAlert(plainWords(detail.code, detail.message), { offerStartOver: detail.code === "BUDGET_EXCEEDED" });
  });

  form.addEventListener("submit", (submit) => {
    submit.preventDefault();
    const text = input.value.trim();
    if (!text || !ready) return;
    showAlert("");
    const question = addMessage("inbound", text);
    const requestId = client.send(text);
    questions.set(requestId, question);
    addStreaming(requestId, "");
    setEnabled();
    input.value = "";
    input.focus();
  });

  stop.addEventListener("click", () => {
    for (const requestId of client.turns.keys()) client.cancel(requestId);
    input.focus();
  });

  input.addEventListener("keydown", (key) => {
    if (key.key === "Enter" && !key.shiftKey && !key.isComposing) {
      key.preventDefault();
      form.requestSubmit();
    }
  });

  client.start();
  return client;
}
