/* The WebSocket at /ws/chat/ (its protocol is described in chat/consumers.py): connecting,
reconnecting later each time, the heartbeat that notices a dead connection, and the largest frame
the server takes. What the frames mean is the room's business (room.js); this only carries them.
*/

const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 10_000;
const HEARTBEAT_MS = 25_000;
// The server refuses larger frames (MAX_FRAME_BYTES in chat/frames.py) without reading them.
const MAX_FRAME_BYTES = 16_384;
// Codes the server closes with when the person may no longer chat: reconnecting cannot help.
const FINAL_CLOSE_CODES = new Set([4401, 4403]);

/* Whether the server will read `frame`, so that a message too long is refused before it is sent. */
export function fitsInFrame(frame) {
  return new TextEncoder().encode(JSON.stringify(frame)).length <= MAX_FRAME_BYTES;
}

export class ChatSocket {
  /* `handlers` are the room's: onOpen() sends what subscribes, onFrame(frame) takes every frame
     from the server, onStatus(key) shows the state of the connection, and onDown() is told
     whenever the connection goes (what waits for it shows that it waits). */
  constructor(handlers) {
    this.handlers = handlers;
    this.socket = null;
    this.subscribed = false;
    this.stopped = false; // while the page is hidden or stopped for good
    this.ended = false; // stopped for good
    this.attempts = 0;
    this.reconnectTimer = null;
    this.heartbeatTimer = null;
    this.awaitingPong = false;
  }

  start() {
    window.addEventListener("online", () => this.reconnectNow());
    window.addEventListener("pagehide", () => {
      this.stopped = true;
      this.socket?.close(1000);
    });
    window.addEventListener("pageshow", (event) => {
      if (event.persisted && !this.ended) {
        // Back from the back/forward cache: the socket was closed on the way out.
        this.stopped = false;
        this.connect();
      }
    });
    this.connect();
  }

  connect() {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    if (this.stopped) return;
    this.handlers.onStatus(this.attempts ? "reconnecting" : "connecting");
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${window.location.host}/ws/chat/`);
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.handlers.onOpen();
      this.startHeartbeat();
    });
    socket.addEventListener("message", (event) => {
      if (socket !== this.socket) return;
      this.awaitingPong = false;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      this.handlers.onFrame(frame);
    });
    socket.addEventListener("close", (event) => {
      if (socket !== this.socket) return;
      this.dropped(event.code);
    });
  }

  /* The server took the subscription: the connection is up, and the next drop starts the
     backoff from the beginning again. */
  accepted() {
    this.subscribed = true;
    this.attempts = 0;
    this.handlers.onStatus("connected");
  }

  /* The socket is gone (closed, or silent for too long): try again, later each time. */
  dropped(code) {
    const socket = this.socket;
    this.socket = null;
    this.subscribed = false;
    clearInterval(this.heartbeatTimer);
    if (socket && socket.readyState < WebSocket.CLOSING) socket.close();
    this.handlers.onDown();
    if (this.stopped) return;
    if (FINAL_CLOSE_CODES.has(code)) {
      this.stop("stopped");
      return;
    }
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** this.attempts);
    this.attempts += 1;
    this.handlers.onStatus("reconnecting");
    // Some jitter, so that a restarted server is not met by every browser at the same moment.
    this.reconnectTimer = setTimeout(() => this.connect(), delay * (0.75 + Math.random() / 4));
  }

  /* Waiting to reconnect, and there is reason to think it would work now: no need to wait. */
  reconnectNow() {
    if (this.stopped || this.socket || !this.reconnectTimer) return;
    this.connect();
  }

  /* For good: the person may no longer chat here, or was signed out. */
  stop(statusKey) {
    this.ended = true;
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.heartbeatTimer);
    const socket = this.socket;
    this.socket = null;
    this.subscribed = false;
    socket?.close(1000);
    this.handlers.onStatus(statusKey);
    this.handlers.onDown();
  }

  startHeartbeat() {
    clearInterval(this.heartbeatTimer);
    this.awaitingPong = false;
    this.heartbeatTimer = setInterval(() => {
      if (this.awaitingPong) {
        this.dropped(1006); // no answer since the last ping: the connection is dead
        return;
      }
      this.awaitingPong = this.send({ type: "ping" });
    }, HEARTBEAT_MS);
  }

  /* Sends `frame` if the socket is open; whether it did. */
  send(frame) {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /* Open and subscribed to the room: what is sent now is taken. */
  get connected() {
    return this.subscribed && this.socket?.readyState === WebSocket.OPEN;
  }
}
