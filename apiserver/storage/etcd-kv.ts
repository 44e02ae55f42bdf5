// etcd's KV service (Range and Txn) for the API server's reads and writes, and its Lease service's
// grants for expiring objects: one unary gRPC call per operation with a deadline, bytes encoded by
// etcd-wire.ts; and Watch streams (etcd-watch.ts) on a second connection. The etcd3 client wraps each call in retry and circuit-breaker
// policies and converts messages through generic object mappers; that cost CPU on every write and
// bought nothing here, where a failed call must become a 503 at once (clients retry, as Kubernetes
// clients do).
//
// Several endpoints: calls go to one until it reports UNAVAILABLE, then to the next.

import {
  decodeLeaseGrantResponse,
  decodeRangeResponse,
  decodeTxnResponse,
  encodeLeaseGrantRequest,
  encodeRangeRequest,
  encodeTxnRequest,
  type RangeRequest,
  type RangeResponse,
  type TxnRequest,
  type TxnResponse,
} from "./etcd-wire.js";
import { GrpcStream, GrpcStreamClient, type StreamHandlers } from "./grpc-stream.js";
import { GrpcError, GrpcUnaryClient, UNAVAILABLE } from "./grpc-unary.js";

export class EtcdKv {
  private readonly clients: GrpcUnaryClient[];
  /** Watch streams get connections of their own: unary calls never queue behind event traffic. */
  private readonly streamClients: GrpcStreamClient[];
  private current = 0;

  constructor(
    endpoints: string[],
    private readonly timeoutMs = 5000,
  ) {
    if (endpoints.length === 0) throw new Error("no etcd endpoints given");
    const origins = endpoints.map((e) => {
      const url = new URL(e.includes("://") ? e : `http://${e}`);
      return `${url.protocol === "https:" ? "https" : "http"}://${url.host}`;
    });
    this.clients = origins.map((o) => new GrpcUnaryClient(o));
    this.streamClients = origins.map((o) => new GrpcStreamClient(o));
  }

  async range(req: RangeRequest): Promise<RangeResponse> {
    return decodeRangeResponse(await this.call("/etcdserverpb.KV/Range", encodeRangeRequest(req)));
  }

  async txn(req: TxnRequest): Promise<TxnResponse> {
    return decodeTxnResponse(await this.call("/etcdserverpb.KV/Txn", encodeTxnRequest(req)));
  }

  /** A new lease of `ttlSeconds`, without keep-alive (keys put with it go when it expires): its ID. */
  async leaseGrant(ttlSeconds: number): Promise<string> {
    return decodeLeaseGrantResponse(
      await this.call("/etcdserverpb.Lease/LeaseGrant", encodeLeaseGrantRequest(ttlSeconds)),
    );
  }

  /** A stream (etcd's Watch) to the current endpoint; UNAVAILABLE moves on to the next. */
  stream(path: string, h: StreamHandlers): GrpcStream {
    const i = this.current;
    return new GrpcStream(this.streamClients[i]!, path, {
      message: h.message,
      end: (err) => {
        if (err?.code === UNAVAILABLE && this.current === i) this.current = (i + 1) % this.clients.length;
        h.end(err);
      },
    });
  }

  close(): void {
    for (const c of [...this.clients, ...this.streamClients]) c.close();
  }

  private async call(path: string, body: Uint8Array): Promise<Buffer> {
    const i = this.current;
    try {
      return await this.clients[i]!.call(path, body, this.timeoutMs);
    } catch (err) {
      if (err instanceof GrpcError && err.code === UNAVAILABLE && this.current === i) {
        this.current = (i + 1) % this.clients.length;
      }
      throw err;
    }
  }
}
