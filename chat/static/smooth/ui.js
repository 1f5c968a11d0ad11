// The chat, mounted by the page at / (page.js) and the widget (widget.js, in its shadow
// root). Text is only ever set as text.

import { askCard, choicesCard, codeCard, confirmCard, identityCard } from "./cards.js";
import { SmoothClient } from "./client.js";
import { element, setWords, t } from "./words.js";

export { socketUrl } from "./client.js";

// What a visitor reads for each error code; the server's own words are for logs.
const plainWords = (code, message) =>
  ({
    VALIDATION_ERROR: t("That message could not be sent: {reason}", { reason: message }),
    ORIGIN_NOT_ALLOWED: t("This chat is not enabled on this website."),
    AGENT_NOT_AUTHORIZED: t("This chat is not available here."),
    AUTH_CONTEXT_INVALID: t("We could not confirm who you are. Please reload the page and try again."),
    LLM_UNAVAILABLE: t("The assistant is offline right now. Please try again later."),
    AGENT_ERROR: t("The assistant could not answer just now. Please try again."),
    INTERNAL_ERROR: t("Something went wrong on our side. Please try again."),
    SESSION_NOT_FOUND: t("This conversation is no longer available. Reload the page to start a new one."),
    DISCONNECTED: t("The connection dropped before the answer arrived. Reconnecting…"),
    TURN_IN_PROGRESS: t("Please wait for the answer to finish before sending another message."),
    TURN_EXPIRED: t("The assistant waited too long for your answer. Please ask again."),
    NO_PENDING_CONFIRMATION: t("That question was already answered, or it expired."),
    NO_PENDING_INTERACTION: t("That form was already answered, or it expired."),
    INTERACTION_MISMATCH: t("That form is out of date. Please use the newest one."),
  })[code] ||
  // The server words these for visitors, in the socket's language (when to try again; which allowance is used up).
  (["RATE_LIMITED", "BUDGET_EXCEEDED"].includes(code) && message ? sentence(message) : t("Something went wrong. Please try again."));

function sentence(text) {
  const trimmed = text.trim();
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1) + (/[.!?]$/.test(trimmed) ? "" : ".");
}

let mounted = 0;

export function mountChat(root, { url, agentId, authContext, storage, config = {}, title, autofocus, onClose }) {
  setWords(config.messages);
  mounted += 1;
  const id = (name) => `smooth-${name}-${mounted}`;
  const button = (text, attributes = {}) => element("button", { type: "button", ...attributes }, text);
  const hidden = (node) => Object.assign(node, { hidden: true });
  const focusIn = (node) => node.contains(node.getRootNode().activeElement); // the document's, or the shadow root's

  const chat = element("section", { class: "smooth-chat", "aria-labelledby": id("title"), lang: config.lang || "en", dir: config.dir || "ltr" });
  const head = element("header", { class: "smooth-head" });
  if (config.avatarUrl) head.append(element("img", { class: "smooth-avatar", src: config.avatarUrl, alt: "" }));
  head.append(element("h2", { id: id("title"), class: "smooth-title" }, title || config.title || t("Chat")));
  const menuButton = button("⋯", { class: "smooth-icon", "aria-label": t("Conversation options"), "aria-expanded": "false", "aria-controls": id("menu") });
  const menu = hidden(element("div", { id: id("menu"), class: "smooth-menu" }));
  head.append(menuButton, menu);
  if (onClose) head.append(Object.assign(button("×", { class: "smooth-icon", "aria-label": t("Close chat") }), { onclick: onClose }));
  const status = element("p", { class: "smooth-status", role: "status" }, t("Connecting…"));
  const transcript = element("ol", { class: "smooth-transcript", role: "log", "aria-live": "polite", "aria-label": t("Conversation") });
  const suggestions = hidden(element("div", { class: "smooth-suggestions", role: "group", "aria-label": t("Suggested questions") }));
  for (const question of (config.suggestedQuestions || []).slice(0, 4)) suggestions.append(button(question, { class: "smooth-suggestion", dir: "auto" }));
  // From the 202 until the first token: one polite announcement, not one per token.
  const working = element("p", { class: "smooth-working", role: "status" });
  const alert = hidden(element("p", { class: "smooth-alert", role: "alert" }));
  // When the conversation has spent what it may: a new one has an allowance of its own.
  const startOver = hidden(button(t("Start a new conversation"), { class: "smooth-start-over" }));
  const form = element("form", { class: "smooth-form" });
  const input = element("textarea", { id: id("message"), name: "message", rows: "2", maxlength: "10000", required: "", placeholder: t("Ask a question…") });
  const send = element("button", { type: "submit" }, t("Send"));
  const stop = hidden(button(t("Stop"), { class: "smooth-stop smooth-secondary" }));
  form.append(element("label", { for: id("message"), class: "smooth-label" }, t("Your message")), input, send, stop);
  // Where a card the turn waits on is shown.
  const prompt = hidden(element("div", { class: "smooth-prompt", role: "region", "aria-label": t("The assistant needs your answer") }));
  chat.append(head, status, transcript, suggestions, working, alert, startOver, prompt, form);
  root.append(chat);

  const client = new SmoothClient({ url, agentId, authContext, storage });
  const replies = new Map(); // requestId -> the reply's list item while it streams
  const questions = new Map(); // requestId -> this tab's question, until the server accepted it
  let ready = false;
  let refused = false;
  let heldBy = null; // the person who holds the conversation

  function setEnabled() {
    const enabled = ready && !refused;
    const answering = client.busy();
    input.disabled = !enabled;
    send.disabled = !enabled || answering; // one answer at a time, in every tab
    stop.hidden = !answering;
    stop.disabled = !enabled;
    // The suggested questions go once the conversation has a message.
    suggestions.hidden = !enabled || answering || !!transcript.querySelector(".smooth-inbound, .smooth-outbound, .smooth-notice");
  }
  setEnabled();

  function work(text = "") {
    if (working.textContent !== text) working.textContent = text;
    chat.toggleAttribute("data-working", !!text);
  }

  function showAlert(text, offerStartOver = false) {
    alert.textContent = text;
    alert.hidden = !text;
    startOver.hidden = !offerStartOver;
  }

  startOver.addEventListener("click", async () => {
    showAlert("");
    await client.startOver();
    input.focus();
  });

  const scrollToEnd = () => (transcript.scrollTop = transcript.scrollHeight);

  function addMessage(direction, text, speaker = null) {
    const item = element("li", { class: `smooth-message smooth-${direction}` });
    item.append(element("span", { class: "smooth-speaker" }, speaker || (direction === "inbound" ? t("You") : t("Assistant"))), element("p", { class: "smooth-text", dir: "auto" }, text));
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
    work();
    setEnabled();
    return item;
  }

  function addCitations(item, citations) {
    if (!citations.length) return;
    const sources = element("div", { class: "smooth-sources" });
    const list = element("ul", { class: "smooth-citations" });
    sources.append(element("p", { class: "smooth-sources-title" }, t("Sources")), list);
    for (const citation of citations) {
      const entry = element("li", { class: "smooth-citation" });
      const name = citation.title || citation.id;
      const isWeb = /^https?:\/\//.test(citation.url);
      entry.append(isWeb ? element("a", { href: citation.url, target: "_blank", rel: "noopener noreferrer" }, name) : element("span", {}, name));
      if (citation.snippet) entry.append(element("span", { class: "smooth-snippet", dir: "auto" }, citation.snippet));
      list.append(entry);
    }
    item.append(sources);
    scrollToEnd();
  }

  // 👍 / 👎 under an answer, then an optional comment. `given`: the rating the history holds.
  function addFeedback(item, messageId, given = null) {
    const ratings = [["up", "👍", t("Helpful")], ["down", "👎", t("Not helpful")]];
    const box = element("div", { class: "smooth-feedback", role: "group", "aria-label": t("Rate this answer") });
    const note = element("p", { class: "smooth-feedback-note", role: "status" });
    const buttons = ratings.map(([rating, face, name]) => {
      const rate = button(face, { class: "smooth-rate", "aria-label": name, "aria-pressed": String(rating === given) });
      rate.addEventListener("click", () => sendRating(rating));
      return rate;
    });
    let comment = null;
    box.append(...buttons, note);
    item.append(box);
    scrollToEnd();

    async function sendRating(rating, text = "") {
      for (const rate of buttons) rate.disabled = true;
      const sent = await client.rateAnswer(messageId, rating, text).then(() => true, () => false);
      for (const rate of buttons) rate.disabled = false; // before closeComment() may focus one
      if (!sent) {
        note.textContent = t("Your rating could not be sent. Please try again.");
        return;
      }
      given = rating;
      buttons.forEach((rate, index) => rate.setAttribute("aria-pressed", String(ratings[index][0] === rating)));
      note.textContent = text ? t("Thanks, your comment was sent.") : t("Thanks for your feedback.");
      if (text) closeComment();
      else openComment();
    }

    function openComment() {
      if (comment) return;
      const boxId = id(`comment-${messageId}`);
      comment = element("form", { class: "smooth-feedback-comment" });
      const field = element("textarea", { id: boxId, rows: "2", maxlength: "2000" });
      comment.append(element("label", { for: boxId }, t("Tell us more (optional)")), field, element("button", { type: "submit" }, t("Send comment")));
      comment.addEventListener("submit", (submit) => {
        submit.preventDefault();
        if (field.value.trim()) sendRating(given, field.value.trim());
      });
      box.append(comment);
      scrollToEnd();
    }

    function closeComment() {
      const hadFocus = comment && focusIn(comment);
      comment?.remove();
      comment = null;
      if (hadFocus) buttons[ratings.findIndex(([rating]) => rating === given)].focus();
    }
  }

  // The menu: the visitor's own data.
  function openMenu(open) {
    menu.hidden = !open;
    menuButton.setAttribute("aria-expanded", String(open));
    if (!open) return;
    const items = [
      [t("Download conversation"), () => download("text")],
      [t("Download as HTML"), () => download("html")],
    ];
    if (config.visitorErasure !== false) items.push([t("Delete conversation"), confirmDelete]);
    menu.replaceChildren(...items.map(([text, act]) => Object.assign(button(text, { class: "smooth-menu-item" }), { onclick: act })));
    menu.firstChild.focus();
  }

  function closeMenu() {
    const hadFocus = focusIn(menu);
    openMenu(false);
    if (hadFocus) menuButton.focus();
  }

  menuButton.addEventListener("click", () => (menu.hidden ? openMenu(true) : closeMenu()));
  menu.addEventListener("keydown", (key) => {
    if (key.key !== "Escape") return;
    key.stopPropagation(); // the menu closes, not the widget's panel
    closeMenu();
  });

  async function download(format) {
    closeMenu();
    try {
      const { data } = await client.visitorData("download_transcript", { format, lang: config.lang || "en" });
      const link = element("a", { href: URL.createObjectURL(new Blob([data.content], { type: data.contentType })), download: data.filename });
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 60000);
    } catch {
      showAlert(t("The conversation could not be downloaded. Please try again."));
    }
  }

  // Confirmed in the panel (a card), then erased.
  function confirmDelete() {
    closeMenu();
    const failed = () => Promise.reject(new Error(t("The conversation could not be deleted. Please try again.")));
    const erase = (yes) => (yes ? client.visitorData("delete_conversation").then(erased, failed) : Promise.resolve(clearCard()));
    const made = askCard(t("Delete this conversation?"), t("Its messages are erased for good."), [t("Delete"), t("Cancel")], erase);
    showCard({ ...made, focus: () => made.no.focus() }, null);
  }

  // The card shown, and its turn (null for the code card, which outlives its turn).
  let shown = null;

  function showCard(made, requestId) {
    work(); // the turn waits for the visitor, not the other way round
    shown = { ...made, requestId };
    prompt.replaceChildren(made.node);
    prompt.hidden = false;
    scrollToEnd();
    made.focus();
  }

  function clearCard(requestId = undefined) {
    if (!shown || (requestId !== undefined && shown.requestId !== requestId)) return;
    const hadFocus = focusIn(prompt);
    shown = null;
    prompt.replaceChildren();
    hidden(prompt);
    if (hadFocus) input.focus();
  }

  // A refused answer to a card, in the visitor's words (the card shows it).
  const refuse = (error) => Promise.reject(Object.assign(new Error(plainWords(error.code, error.message)), { code: error.code }));
  const on = (type, listener) => client.addEventListener(type, ({ detail }) => listener(detail));

  on("confirm", (detail) => {
    showCard(confirmCard(detail, (approved) => client.confirm(detail.requestId, approved).then(() => clearCard(detail.requestId), refuse)), detail.requestId);
  });

  on("interaction", (detail) => {
    const render = { identity_intake: identityCard, choices: choicesCard }[detail.kind];
    const submit = (answer) =>
      client.submitInteraction(detail.requestId, detail.interactionId, answer).then(
        (event) => {
          if (event.type === "interaction_invalid") made.showErrors(event.data.data.errors, event.data.data.message);
          else clearCard(detail.requestId);
        },
        refuse,
      );
    if (!render) {
      submit({ declined: true }).catch(() => {}); // a kind not shown here: the assistant goes on without it
      return;
    }
    const made = render(detail, submit);
    showCard(made, detail.requestId);
  });

  on("interaction-invalid", (detail) => {
    if (shown?.requestId === detail.requestId) shown.showErrors?.(detail.errors, detail.message);
  });

  on("otp", () => {
    const verify = (code) =>
      client.verifyOtp(code).then((answer) => {
        if (answer.type === "otp_verified") {
          clearCard();
          status.textContent = t("Verified. Ask your question again.");
        }
        return answer;
      }, refuse);
    showCard(codeCard(verify, () => clearCard()), null);
  });

  on("otp-sent", (detail) => shown?.sent?.(detail));

  on("preamble", (detail) => {
    const item = replies.get(detail.requestId);
    const text = item?.querySelector(".smooth-text");
    if (text && !text.textContent) {
      text.textContent = detail.token; // a passing line: the first word of the answer replaces it
      item.classList.add("smooth-preamble");
    }
  });

  on("accepted", () => work(t("Working on it…")));
  // A tool the turn calls: a short line until the answer goes on (not while a card waits on the visitor).
  on("activity", ({ tool }) => shown || work(tool === "knowledge_search" ? t("Searching the help centre…") : t("Working on it…")));

  on("status", ({ state }) => {
    if (state === "open" || state === "stopped") return;
    ready = false;
    work(); // a dropped connection: the turn is resumed, or failed, on reconnect
    setEnabled();
    status.textContent = state === "reconnecting" ? t("Connection lost. Reconnecting…") : t("Connecting…");
    status.dataset.state = state;
  });

  function showHistory(messages) {
    transcript.replaceChildren();
    replies.clear();
    heldBy = null;
    if (config.greeting) addMessage("greeting", config.greeting); // the agent's first bubble, never stored
    for (const message of messages) {
      const person = message.from?.type === "human-agent" ? message.from.name : null;
      const { handoff: step, citations, feedback } = message.content.structuredResponse || {};
      if (step && step !== "message") {
        personStep(step, person);
        continue;
      }
      const item = addMessage(message.direction, message.content.text || "", person);
      if (person) item.classList.add("smooth-person");
      if (citations) addCitations(item, citations);
      if (message.direction === "outbound" && !person) addFeedback(item, message.id, feedback);
    }
    // An answer under way (resumed, or another tab's) goes on below it.
    for (const [requestId, turn] of client.turns) addStreaming(requestId, turn.text);
    setEnabled();
  }

  on("history", (detail) => showHistory(detail.messages));
  // Erased, from this tab or another: the transcript empties.
  function erased() {
    clearCard();
    showHistory([]);
    status.textContent = t("Conversation deleted.");
  }
  on("deleted", erased);

  on("turn", () => {
    // Another tab asked: read its stored question, then watch the answer.
    work(t("Working on it…"));
    setEnabled();
    client.readHistory().catch(() => {}); // a reconnect re-reads it anyway
  });

  let focused = false;
  on("ready", (detail) => {
    ready = true;
    work();
    setEnabled();
    if (autofocus && !focused) {
      focused = true; // once: a reconnect must not pull focus away from the page
      input.focus();
    }
    status.textContent = detail.resumed ? t("Reconnected.") : t("Connected. Ask a question.");
    status.dataset.state = "ready";
    if (!refused) showAlert("");
  });

  on("token", (detail) => {
    const item = replies.get(detail.requestId);
    work();
    if (!item) return;
    const text = item.querySelector(".smooth-text");
    if (item.classList.contains("smooth-preamble")) {
      item.classList.remove("smooth-preamble");
      text.textContent = "";
    }
    text.textContent += detail.token;
    scrollToEnd();
  });

  on("reply", (detail) => {
    clearCard(detail.requestId);
    const item = endReply(detail.requestId);
    if (!item) return;
    item.querySelector(".smooth-text").textContent = detail.text; // the stored reply is the truth
    item.setAttribute("aria-busy", "false");
    if (detail.quoted) item.append(element("p", { class: "smooth-quoted" }, t("Quoted from our help articles: no AI wrote this answer.")));
    addCitations(item, detail.citations);
    if (detail.messageId) addFeedback(item, detail.messageId);
  });

  on("cancelled", (detail) => {
    // Stopped, here or in another tab: the partial answer goes, the question stays. With a
    // person holding the conversation, it is how each message to them ends.
    clearCard(detail.requestId);
    endReply(detail.requestId)?.remove();
    if (!heldBy) status.textContent = t("Stopped.");
  });

  // A person of the team joins, answers (with their name), hands back.
  on("operator", (detail) => {
    if (detail.handoff === "message") addMessage("outbound", detail.text, detail.name).classList.add("smooth-person");
    else personStep(detail.handoff, detail.name);
    status.textContent = heldBy ? t("{name} is answering.", { name: heldBy }) : t("Connected. Ask a question.");
    setEnabled();
  });

  function personStep(step, name) {
    if (step === "joined" || step === "taken") {
      heldBy = name;
      addNotice(t("A person has joined: {name}", { name }));
    } else if (step === "returned") {
      heldBy = null;
      addNotice(t("The assistant is back"));
    }
  }

  function addNotice(text) {
    transcript.append(element("li", { class: "smooth-notice" }, text));
    scrollToEnd();
  }

  on("failed", (detail) => {
    if (detail.requestId) clearCard(detail.requestId);
    const question = detail.requestId && questions.get(detail.requestId);
    detail.requestId && endReply(detail.requestId)?.remove();
    work();
    if (question && !detail.accepted) {
      question.remove(); // refused before it began: not stored; the text goes back to the box
      if (!input.value) input.value = question.querySelector(".smooth-text").textContent;
    }
    if (detail.fatal) {
      refused = true;
      status.textContent = t("Chat unavailable.");
      status.dataset.state = "refused";
    }
    setEnabled();
    showAlert(plainWords(detail.code, detail.message), detail.code === "BUDGET_EXCEEDED");
  });

  function ask(text) {
    if (!text || !ready) return;
    showAlert("");
    const question = addMessage("inbound", text);
    const requestId = client.send(text);
    questions.set(requestId, question);
    addStreaming(requestId, "");
    setEnabled();
    input.focus();
  }

  form.addEventListener("submit", (submit) => {
    submit.preventDefault();
    const text = input.value.trim();
    if (text && ready) input.value = "";
    ask(text);
  });

  suggestions.addEventListener("click", (click) => {
    if (click.target.classList.contains("smooth-suggestion")) ask(click.target.textContent);
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
