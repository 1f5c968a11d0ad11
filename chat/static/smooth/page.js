// The chat page at /: one chat for the agent the server names, in the look and words of
// its widget config (English and Smooth's own look when that cannot be read).
import { socketUrl } from "./client.js";
import { mountChat } from "./ui.js";

const root = document.getElementById("smooth-chat");
const lang = root.dataset.lang || navigator.languages?.[0] || "en";
const config = await fetch(`/widget/${root.dataset.agentId}/config?lang=${encodeURIComponent(lang)}`)
  .then((answer) => (answer.ok ? answer.json() : {}))
  .catch(() => ({}));
const body = document.body;
if (config.theme) body.dataset.theme = config.theme;
if (config.brandColor) body.style.setProperty("--smooth-accent", config.brandColor);
if (config.textColor) body.style.setProperty("--smooth-on-accent", config.textColor);
window.smoothClient = mountChat(root, {
  url: socketUrl(window.location.href, config.lang),
  agentId: root.dataset.agentId,
  storage: window.sessionStorage,
  config,
  title: root.dataset.title,
  autofocus: true,
});
