// A watch stream read in the background for tests: every decoded event lands in `events` as it
// arrives, so a test waits on conditions over them (waitFor) and closes the stream when done.

import { decodeWatchStream } from "../client/index.js";

export interface WatchEvents {
  /** Decoded watch events; tests look into them freely. */
  events: any[];
  /** The stream has ended: the server closed it, or close() was called. */
  readonly ended: boolean;
  close(): void;
}

/** Opens `url` (a watch) and collects its events; rejects unless the server answers 200. */
export async function openWatchEvents(url: string): Promise<WatchEvents> {
  const ac = new AbortController();
  const res = await fetch(url, { signal: ac.signal });
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  const events: any[] = [];
  let ended = false;
  void (async () => {
    try {
      for await (const ev of decodeWatchStream(res.body as unknown as AsyncIterable<Uint8Array>))
        events.push(ev);
    } catch {
      // aborted by close(), or the server went away: the test sees what arrived
    }
    ended = true;
  })();
  return {
    events,
    get ended() {
      return ended;
    },
    close: () => ac.abort(),
  };
}
