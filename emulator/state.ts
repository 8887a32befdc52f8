// The mutable state of one running emulator.

import { exportJWK, generateKeyPair, type JWK } from "jose";
import { randomBytes } from "node:crypto";
import { VirtualClock } from "./clock";
import {
  switchesOf,
  type EmulatorOptions,
  type EmulatorSwitches,
} from "./config";
import { FaultInjector } from "./faults";
import { QuotaCounter } from "./quota";
import { TokenStore } from "./tokens";

/** Counts of handled calls, for GET /__emulator/calls. */
export class CallLog {
  total = 0;
  byEndpoint: Record<string, number> = {};
  byMember: Record<string, number> = {};

  record(endpoint: string): void {
    this.total += 1;
    this.byEndpoint[endpoint] = (this.byEndpoint[endpoint] ?? 0) + 1;
  }

  recordMember(memberId: string): void {
    this.byMember[memberId] = (this.byMember[memberId] ?? 0) + 1;
  }

  clear(): void {
    this.total = 0;
    this.byEndpoint = {};
    this.byMember = {};
  }
}

export type SigningKey = {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
};

export type EmulatorState = {
  readonly options: EmulatorOptions;
  switches: EmulatorSwitches;
  /** The server's own origin, such as http://127.0.0.1:4010. */
  baseUrl: string;
  readonly clock: VirtualClock;
  readonly tokens: TokenStore;
  readonly quota: QuotaCounter;
  readonly faults: FaultInjector;
  readonly calls: CallLog;
  readonly signingKey: SigningKey;
};

/** Creates the state with a fresh RS256 key pair for the id_tokens. */
export async function createState(
  options: EmulatorOptions,
): Promise<EmulatorState> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const kid = randomBytes(8).toString("hex");
  const publicJwk = {
    ...(await exportJWK(publicKey)),
    kid,
    alg: "RS256",
    use: "sig",
  };
  return {
    options,
    switches: switchesOf(options),
    baseUrl: "",
    clock: new VirtualClock(),
    tokens: new TokenStore(),
    quota: new QuotaCounter(),
    faults: new FaultInjector(options.seed),
    calls: new CallLog(),
    signingKey: { kid, privateKey, publicJwk },
  };
}

/** Restores the startup switches and clears every call, token and grant. */
export function resetState(state: EmulatorState): void {
  state.switches = switchesOf(state.options);
  state.clock.reset();
  state.tokens.clear();
  state.quota.reset();
  state.faults.restart();
  state.calls.clear();
}
