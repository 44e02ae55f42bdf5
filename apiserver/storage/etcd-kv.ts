// A direct gRPC client for etcd's KV service (Range and Txn), the API server's hot path: one
// grpc-js unary call per request with a deadline, bytes encoded by etcd-wire.ts. The etcd3 client
// wraps each call in retry and circuit-breaker policies and converts messages through generic
// object mappers; that cost CPU on every write and bought nothing here, where a failed call must
// become a 503 at once (the client retries, as Kubernetes clients do).
//
// Several endpoints: calls go to one until it reports UNAVAILABLE, then to the next.

import { Client, credentials, type ServiceError, status } from "@grpc/grpc-js";
import {
  decodeRangeResponse,
  decodeTxnResponse,
  encodeRangeRequest,
  encodeTxnRequest,
  type RangeRequest,
  type RangeResponse,
  type TxnRequest,
  type TxnResponse,
} from "./etcd-wire.js";

const CHANNEL_OPTIONS = {
  // A whole-resource list can exceed grpc's 4 MiB default (10,000 pods are ~8 MB).
  "grpc.max_receive_message_length": -1,
  // Reconnect soon after etcd comes back (grpc's default backoff grows to two minutes).
  "grpc.initial_reconnect_backoff_ms": 200,
  "grpc.max_reconnect_backoff_ms": 2000,
};

const identity = (b: Buffer) => b;

export class EtcdKv {
  private readonly clients: Client[];
  private current = 0;

  constructor(
    endpoints: string[],
    private readonly timeoutMs = 5000,
  ) {
    if (endpoints.length === 0) throw new Error("no etcd endpoints given");
    this.clients = endpoints.map((e) => {
      const url = new URL(e.includes("://") ? e : `http://${e}`);
      const creds = url.protocol === "https:" ? credentials.createSsl() : credentials.createInsecure();
      return new Client(url.host, creds, CHANNEL_OPTIONS);
    });
  }

  range(req: RangeRequest): Promise<RangeResponse> {
    return this.call("/etcdserverpb.KV/Range", encodeRangeRequest(req), decodeRangeResponse);
  }

  txn(req: TxnRequest): Promise<TxnResponse> {
    return this.call("/etcdserverpb.KV/Txn", encodeTxnRequest(req), decodeTxnResponse);
  }

  close(): void {
    for (const c of this.clients) c.close();
  }

  private call<T>(path: string, body: Uint8Array, decode: (b: Buffer) => T): Promise<T> {
    const i = this.current;
    const client = this.clients[i]!;
    const arg = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    return new Promise<T>((resolve, reject) => {
      client.makeUnaryRequest<Buffer, T>(
        path,
        identity,
        decode,
        arg,
        { deadline: Date.now() + this.timeoutMs },
        (err: ServiceError | null, res?: T) => {
          if (!err) {
            resolve(res as T);
            return;
          }
          if (err.code === status.UNAVAILABLE && this.current === i) {
            this.current = (i + 1) % this.clients.length;
          }
          reject(err);
        },
      );
    });
  }
}
