// The embeddable widget (docs/USING.md, "The chat page and the widget"): the agent's config
// read, a launcher and a panel in a shadow root, talking to /ws from the host page's origin.
(function () {
  const script = document.currentScript;
  const data = script?.dataset || {};
  const fail = (why) => console.warn(`Smooth widget: ${why}; the chat is not shown.`);
  if (!data.agentId) return fail("the script tag needs data-agent-id");
  const smoothUrl = data.smoothUrl || new URL(script.src).origin;
  const asset = (name) => new URL(name, script.src).toString();
  const lang = data.lang || navigator.languages?.[0] || "en";

  // A site the agent's embed policy does not list gets the same 404 as an unknown agent.
  fetch(`${smoothUrl}/widget/${encodeURIComponent(data.agentId)}/config?lang=${encodeURIComponent(lang)}`)
    .then((answer) => (answer.ok ? answer.json() : Promise.reject(new Error(`its config answered ${answer.status}`))))
    .then(draw, (error) => fail(error.message));

  function draw(config) {
    if (config.avatarUrl) config.avatarUrl = new URL(config.avatarUrl, smoothUrl).toString();
    config.title = data.title || config.title;
    const host = document.createElement("div");
    Object.assign(host.dataset, { theme: config.theme, position: config.position });
    Object.assign(host, { className: "smooth-widget-host", lang: config.lang, dir: config.dir });
    host.style.setProperty("--smooth-accent", config.brandColor);
    host.style.setProperty("--smooth-on-accent", config.textColor);
    const shadow = host.attachShadow({ mode: "open" }); // the host page's styles stay out
    const make = (tag, properties, attributes = {}) => {
      const node = Object.assign(document.createElement(tag), properties);
      for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
      return node;
    };
    const launcher = make("button", { type: "button", className: "smooth-launcher", textContent: data.label || config.launcherLabel }, { "aria-expanded": "false", "aria-controls": "smooth-panel" });
    const panel = make("div", { id: "smooth-panel", className: "smooth-panel", hidden: true }, { role: "dialog", "aria-label": config.title });
    shadow.append(make("link", { rel: "stylesheet", href: asset("chat.css") }), panel, launcher);

    let mounted = null;
    function toggle(open) {
      panel.hidden = !open;
      launcher.setAttribute("aria-expanded", String(open));
      if (open && !mounted) {
        // The session starts when the visitor first opens the panel, not on every page view.
        mounted = import(asset("ui.js")).then(({ mountChat, socketUrl }) => {
          const authContext = typeof window.smoothAuthContext === "function" ? () => window.smoothAuthContext() : null;
          window.smoothWidgetClient = mountChat(panel, {
            url: socketUrl(smoothUrl, config.lang), agentId: data.agentId, authContext, storage: window.sessionStorage, config, autofocus: true, onClose: () => toggle(false),
          });
        });
      }
      if (!open) launcher.focus();
      else if (!panel.querySelector("textarea")?.disabled) panel.querySelector("textarea")?.focus();
    }
    launcher.addEventListener("click", () => toggle(panel.hidden));
    panel.addEventListener("keydown", (key) => key.key === "Escape" && toggle(false));
    if (document.body) document.body.append(host);
    else document.addEventListener("DOMContentLoaded", () => document.body.append(host));
  }
})();
