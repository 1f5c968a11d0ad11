// The chat page at /: one chat for the agent the server names, whose session
// survives reloads of this tab (sessionStorage) and dropped connections.
import { socketUrl } from "./client.js";
import { mountChat } from "./ui.js";

const root = document.getElementById("smooth-chat");
window.smoothClient = mountChat(root, {
  url: socketUrl(window.location.href),
  agentId: root.dataset.agentId,
  storage: window.sessionStorage,
  title: root.dataset.title,
  autofocus: true,
});
