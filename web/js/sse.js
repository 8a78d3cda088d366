/**
 * A streaming parser for Server-Sent Events (the `text/event-stream` format of the HTML spec).
 * Feed it decoded text chunks as they arrive; it calls `onEvent({event, data, id})` for every complete
 * event. `data` is the JSON-parsed payload when it is JSON, otherwise the raw string.
 * Pure (no DOM), so it is unit-tested in Node.
 */
export class SseParser {
  /** @param {(ev: {event: string, data: any, id?: string}) => void} onEvent */
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = '';
    this.reset();
  }

  reset() {
    this.eventName = '';
    this.dataLines = [];
    this.id = undefined;
  }

  /** Adds a chunk of text; dispatches every event completed by it. */
  push(chunk) {
    this.buffer += chunk;
    // A line ends with \r\n, \n or \r; keep a trailing \r until we know whether \n follows.
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      if (c === '\r' && i === this.buffer.length - 1) break; // wait for the next chunk
      this.line(this.buffer.slice(start, i));
      if (c === '\r' && this.buffer[i + 1] === '\n') i++;
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
  }

  /** The stream ended: an event not followed by a blank line is discarded, as the spec says. */
  end() {
    if (this.buffer.length) this.line(this.buffer);
    this.buffer = '';
    this.reset();
  }

  line(line) {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return; // comment / keep-alive
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.eventName = value;
    else if (field === 'data') this.dataLines.push(value);
    else if (field === 'id') this.id = value;
  }

  dispatch() {
    if (this.dataLines.length === 0 && !this.eventName) return this.reset();
    const raw = this.dataLines.join('\n');
    let data = raw;
    try { data = raw === '' ? '' : JSON.parse(raw); } catch { /* plain text payload */ }
    const ev = { event: this.eventName || 'message', data };
    if (this.id !== undefined) ev.id = this.id;
    this.reset();
    this.onEvent(ev);
  }
}
