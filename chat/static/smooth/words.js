// The visitor's words: each visible string is a call of t below with a double-quoted English
// literal ({name}: placeholders), found by chat/i18n.py; config.messages holds the translations.
let words = {};

export function setWords(messages) {
  words = messages || {};
}

export function t(text, values = {}) {
  return (words[text] || text).replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));
}

export function element(tag, attributes = {}, text = null) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== null) node.textContent = text;
  return node;
}
