// The embeddable widget. A site owner adds one tag:
//   <script src="https://smooth.example.com/static/smooth/widget.js" data-agent-id="…" async></script>
// It opens a floating chat panel that talks to that Smooth server's /ws from the
// host page's origin, so the agent's embed policy applies. If the host page
// defines window.smoothAuthContext (an async function returning the
// {userId, signature, timestamp} its own backend signed), it is sent with each new session.
(function () {
  const script = document.currentScript;
  const agentId = script && script.dataset.agentId;
  if (!agentId) {
    console.error("Smooth widget: the script tag needs data-agent-id");
    return;
  }
  const smoothUrl = script.dataset.smoothUrl || new URL(script.src).origin;
  const asset = (name) => new URL(name, script.src).toString();

  const host = document.createElement("div");
  host.className = "smooth-widget-host";
  const shadow = host.attachShadow({ mode: "open" }); // the host page's styles stay out
  const stylesheet = document.createElement("link");
  stylesheet.rel = "stylesheet";
  stylesheet.href = asset("chat.css");
  const launcher = document.createElement("button");
  launcher.type = "button";
  launcher.className = "smooth-launcher";
  launcher.textContent = script.dataset.label || "Chat with us";
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "smooth-panel");
  const panel = document.createElement("div");
  panel.id = "smooth-panel";
  panel.className = "smooth-panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", script.dataset.title || "Chat");
  panel.hidden = true;
  const close = document.createElement("button");
  close.type = "button";
  close.className = "smooth-close";
  close.setAttribute("aria-label", "Close chat");
  close.textContent = "×";
  panel.append(close);
  shadow.append(stylesheet, panel, launcher);

  let mounted = null;
  function toggle(open) {
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    if (open && !mounted) {
      // The session starts when the visitor first opens the panel, not on every page view.
      mounted = import(asset("ui.js")).then(({ mountChat, socketUrl }) => {
        const authContext = typeof window.smoothAuthContext === "function" ? () => window.smoothAuthContext() : null;
        window.smoothWidgetClient = mountChat(panel, {
          url: socketUrl(smoothUrl), agentId, authContext, storage: window.sessionStorage, title: script.dataset.title || "Chat", autofocus: true,
        });
      });
    }
    if (!open) launcher.focus();
    else if (!panel.querySelector("textarea")?.disabled) panel.querySelector("textarea")?.focus();
  }
  launcher.addEventListener("click", () => toggle(panel.hidden));
  close.addEventListener("click", () => toggle(false));
  panel.addEventListener("keydown", (key) => {
    if (key.key === "Escape") toggle(false);
  });

  function attach() {
    document.body.append(host);
  }
  if (document.body) attach();
  else document.addEventListener("DOMContentLoaded", attach);
})();
