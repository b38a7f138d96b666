import net from 'node:net';

interface Pair {
  client: net.Socket;
  upstream?: net.Socket;
  /** Unpiped by hang(): resume() pipes it again, once (piping twice would send every byte twice). */
  held?: boolean;
}

/**
 * A TCP proxy in front of PostgreSQL or Redis, so a spec can take a dependency "down" and bring
 * it back without touching the shared server other specs use.
 */
export class TcpProxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly pairs = new Set<Pair>();
  private hanging = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(port = 0): Promise<number> {
    if (this.server) return this.port;
    this.server = net.createServer((client) => {
      const pair: Pair = { client };
      this.pairs.add(pair);
      this.track(client, pair);
      if (!this.hanging) this.connect(pair);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** Refuses new connections and cuts the open ones: the dependency is down. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
    this.server = undefined;
  }

  /**
   * The dependency hangs, as behind a network partition: nothing more is passed on either way on
   * open connections (or they are cut, with `cut`), and new ones are accepted but never answered.
   */
  hang({ cut = false } = {}): void {
    this.hanging = true;
    for (const pair of this.pairs) {
      if (cut) {
        if (pair.upstream) {
          pair.client.destroy();
          pair.upstream.destroy();
        }
      } else if (pair.upstream && !pair.held) {
        pair.held = true;
        pair.client.unpipe(pair.upstream);
        pair.upstream.unpipe(pair.client);
        pair.client.pause();
        pair.upstream.pause();
      }
    }
  }

  /** Passes traffic again: held connections are connected, paused ones carry on. */
  resume(): void {
    this.hanging = false;
    for (const pair of this.pairs) {
      if (!pair.upstream) this.connect(pair);
      else if (pair.held) {
        pair.held = false;
        pair.client.pipe(pair.upstream);
        pair.upstream.pipe(pair.client);
      }
    }
  }

  private connect(pair: Pair): void {
    const upstream = net.connect(this.targetPort, this.targetHost);
    pair.upstream = upstream;
    this.track(upstream, pair);
    pair.client.pipe(upstream).pipe(pair.client);
    pair.client.on('close', () => upstream.destroy());
    upstream.on('close', () => pair.client.destroy());
  }

  private track(socket: net.Socket, pair: Pair): void {
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.pairs.delete(pair);
    });
    socket.on('error', () => socket.destroy());
  }
}
