// A scripted WebSocket for the client's tests, installed as the global WebSocket on import:
// each socket made is kept in FakeSocket.all; open() and reply() play the server's side.
export class FakeSocket extends EventTarget {
  static OPEN = 1;
  static all = [];
  constructor(url) {
    super();
    this.url = url;
    this.sent = [];
    this.readyState = 0;
    FakeSocket.all.push(this);
  }
  send(text) {
    this.sent.push(JSON.parse(text));
  }
  close() {
    this.readyState = 3;
    queueMicrotask(() => this.dispatchEvent(new Event("close")));
  }
  open() {
    this.readyState = FakeSocket.OPEN;
    this.dispatchEvent(new Event("open"));
  }
  reply(event) {
    this.dispatchEvent(Object.assign(new Event("message"), { data: JSON.stringify(event) }));
  }
}
globalThis.WebSocket = FakeSocket;
