// A TCP proxy for fault tests: it sits on 127.0.0.1 (random port) between a client such
// as node-postgres and a real server, and on command passes bytes through, delays them,
// holds them (a stalled network that never closes), cuts every connection, or corrupts
// what the server sends. Faults can be armed to strike right after the client's next
// query, so a test hits the middle of a statement rather than the startup handshake.
// Pure node:net; no knowledge of PostgreSQL beyond the first byte of a frontend message.

import { createServer, Server, Socket } from 'node:net';

export type ProxyMode = 'pass' | 'delay' | 'stall';

/** What an armed fault does when it strikes. */
export type ArmedFault =
  | { kind: 'cut' }
  | { kind: 'corrupt'; transform: (chunk: Buffer) => Buffer }
  | { kind: 'stall' };

/** One client connection and its upstream twin. */
interface Pair {
  id: number;
  client: Socket;
  server: Socket;
  /** Chunks held while stalled, in arrival order, with their direction. */
  held: Array<{ to: Socket; data: Buffer | null }>;
  /** When the last delayed chunk of each direction is due, so delayed chunks keep their order. */
  due: Map<Socket, number>;
  /** Set once the client sent a query while a fault was armed: strike at the next server chunk. */
  armed?: ArmedFault;
  closed: boolean;
  /** One side went away during a stall; the other is left open and nothing more is forwarded. */
  partitioned?: boolean;
}

export interface FaultProxy {
  readonly host: string;
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Connections whose client side is still open (it has not closed or sent its FIN). */
  readonly open: number;
  /** Connections whose server side is still open (a partition leaves these behind). */
  readonly upstreamOpen: number;
  /** Client -> server query messages seen ('Q' simple query or 'P' parse), over all connections. */
  readonly queries: number;
  /** Server -> client bytes forwarded, over all connections. */
  readonly bytesToClient: number;
  /** Forward everything at once (the default); held chunks are flushed in order. */
  pass(): void;
  /** Delay every chunk, in both directions, by `ms`. */
  delay(ms: number): void;
  /** Stop forwarding in both directions without closing anything; pass() resumes. */
  stall(): void;
  /**
   * Arms a fault for the next query any client sends: it strikes at the first
   * server -> client chunk that follows the query (cut both sockets, corrupt that chunk, or
   * stall from then on). With `match`, only a query whose message text matches counts
   * (plain connections only: TLS hides the text). Returns a promise that resolves when it
   * has struck.
   */
  armAfterNextQuery(fault: ArmedFault, match?: RegExp): Promise<void>;
  /**
   * Arms a fault for the next server -> client chunk on any connection, whatever the
   * client sent: for streams the proxy cannot read, such as TLS.
   */
  armNextServerChunk(fault: ArmedFault): Promise<void>;
  /** Destroys every open connection now (both sockets), like a network failure. */
  cutAll(): void;
  /** Refuse new connections (accept and destroy at once) until called with false. */
  refuseNew(refuse: boolean): void;
  /** Closes every connection and the listening socket. */
  close(): Promise<void>;
}

/** Flips every bit of a chunk: the message type and length bytes become nonsense. */
export const flipAll = (chunk: Buffer): Buffer => Buffer.from(chunk.map((b) => b ^ 0xff));

const QUERY = 0x51; // 'Q'
const PARSE = 0x50; // 'P'

export interface ProxyOptions {
  /** The address to listen on (default 127.0.0.1); another loopback address such as 127.0.0.2 lets a test connect under a name the server's certificate does not carry. */
  listenHost?: string;
  upstreamHost?: string;
}

export async function startProxy(upstreamPort: number, options: ProxyOptions = {}): Promise<FaultProxy> {
  const upstreamHost = options.upstreamHost ?? '127.0.0.1';
  const listenHost = options.listenHost ?? '127.0.0.1';
  const pairs = new Set<Pair>();
  let mode: ProxyMode = 'pass';
  let delayMs = 0;
  let refusing = false;
  let nextId = 1;
  let accepted = 0;
  let queries = 0;
  let bytesToClient = 0;
  let pending: { fault: ArmedFault; struck: () => void; match?: RegExp } | undefined;
  let pendingAny: { fault: ArmedFault; struck: () => void } | undefined;
  const timers = new Set<NodeJS.Timeout>();
  const struckBy = new Map<Pair, () => void>();

  const end = (p: Pair) => {
    if (p.closed) return;
    p.closed = true;
    p.held.length = 0;
    p.client.destroy();
    p.server.destroy();
    pairs.delete(p);
  };

  /** One side closed during a stall: stop forwarding for this pair but leave the other socket open. */
  const partition = (p: Pair) => {
    p.held.length = 0;
    p.partitioned = true;
  };

  /** Writes a chunk, or passes on a half-close (`null`, the peer's FIN). */
  const write = (p: Pair, to: Socket, data: Buffer | null) => {
    if (p.closed || p.partitioned || to.destroyed) return;
    if (data === null) {
      to.end();
      return;
    }
    if (to === p.client) bytesToClient += data.length;
    to.write(data);
  };

  /** Sends one chunk (or a half-close, `null`) according to the current mode. */
  const forward = (p: Pair, to: Socket, data: Buffer | null) => {
    if (p.closed) return;
    if (mode === 'stall') {
      p.held.push({ to, data });
      return;
    }
    if (mode === 'delay' && delayMs > 0) {
      const at = Math.max(Date.now() + delayMs, p.due.get(to) ?? 0);
      p.due.set(to, at);
      const t = setTimeout(() => {
        timers.delete(t);
        // A stall that began while the chunk waited holds it too.
        if (mode === 'stall') p.held.push({ to, data });
        else write(p, to, data);
      }, at - Date.now());
      timers.add(t);
      return;
    }
    write(p, to, data);
  };

  // Half-open sockets, so that a FIN is a message the proxy forwards (or, while stalled,
  // holds) like data: a partitioned peer must not learn that the other side closed.
  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    accepted++;
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = new Socket({ allowHalfOpen: true });
    const p: Pair = { id: nextId++, client, server: upstream, held: [], due: new Map(), closed: false };
    pairs.add(p);
    // Errors (ECONNRESET after a cut, for instance) only end the pair; they must never
    // become an uncaught exception in the test process.
    // While stalled the network is partitioned: one side going away is not seen by the
    // other (the server keeps its backend), as when a cable is pulled. Otherwise the
    // close is passed on.
    const gone = () => {
      const bothGone = (client.destroyed || client.closed) && (upstream.destroyed || upstream.closed);
      if (mode === 'stall' && !bothGone) partition(p);
      else end(p);
    };
    client.on('error', gone);
    upstream.on('error', gone);
    client.on('close', gone);
    upstream.on('close', gone);
    client.on('end', () => forward(p, upstream, null));
    upstream.on('end', () => forward(p, client, null));
    client.on('data', (data: Buffer) => {
      if (data[0] === QUERY || data[0] === PARSE) {
        queries++;
        if (pending && (!pending.match || pending.match.test(data.toString('latin1')))) {
          p.armed = pending.fault;
          struckBy.set(p, pending.struck);
          pending = undefined;
        }
      }
      forward(p, upstream, data);
    });
    upstream.on('data', (data: Buffer) => {
      if (pendingAny && !p.armed) {
        p.armed = pendingAny.fault;
        struckBy.set(p, pendingAny.struck);
        pendingAny = undefined;
      }
      const fault = p.armed;
      if (fault) {
        p.armed = undefined;
        const struck = struckBy.get(p);
        struckBy.delete(p);
        if (fault.kind === 'cut') {
          end(p);
          struck?.();
          return;
        }
        if (fault.kind === 'corrupt') {
          forward(p, client, fault.transform(data));
          struck?.();
          return;
        }
        mode = 'stall';
        p.held.push({ to: client, data });
        struck?.();
        return;
      }
      forward(p, client, data);
    });
    upstream.connect(upstreamPort, upstreamHost);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, listenHost, () => resolve());
  });
  const port = (server.address() as { port: number }).port;

  const flush = () => {
    // The network is back: a socket left behind by a partition now learns its peer is gone.
    for (const p of [...pairs]) if (p.partitioned) end(p);
    for (const p of pairs) {
      const held = p.held.splice(0);
      for (const h of held) write(p, h.to, h.data);
    }
  };

  return {
    host: listenHost,
    port,
    get accepted() {
      return accepted;
    },
    get open() {
      return [...pairs].filter((p) => !p.client.destroyed && !p.client.closed && !p.client.readableEnded).length;
    },
    get upstreamOpen() {
      return [...pairs].filter((p) => !p.server.destroyed && !p.server.closed && !p.server.readableEnded).length;
    },
    get queries() {
      return queries;
    },
    get bytesToClient() {
      return bytesToClient;
    },
    pass() {
      mode = 'pass';
      delayMs = 0;
      flush();
    },
    delay(ms: number) {
      mode = 'delay';
      delayMs = ms;
      flush();
    },
    stall() {
      mode = 'stall';
    },
    armAfterNextQuery(fault: ArmedFault, match?: RegExp) {
      return new Promise<void>((resolve) => {
        pending = { fault, struck: resolve, match };
      });
    },
    armNextServerChunk(fault: ArmedFault) {
      return new Promise<void>((resolve) => {
        pendingAny = { fault, struck: resolve };
      });
    },
    cutAll() {
      for (const p of [...pairs]) end(p);
    },
    refuseNew(refuse: boolean) {
      refusing = refuse;
    },
    close() {
      pending = undefined;
      pendingAny = undefined;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const p of [...pairs]) end(p);
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
