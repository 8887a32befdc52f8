// Injected failures of API calls: latency, random 5xx and timeouts. The
// decisions come from a seeded stream, so a run can be repeated exactly.

import type { EmulatorSwitches } from "./config";
import { SeededStream } from "./random";

export type FaultDecision =
  { kind: "none" } | { kind: "error"; status: number } | { kind: "timeout" };

const ERROR_STATUSES = [500, 502, 503, 504];

export class FaultInjector {
  private readonly stream: SeededStream;

  constructor(seed: number) {
    this.stream = new SeededStream(seed, "faults");
  }

  /** Decides the fate of one call; draws from the stream only when needed. */
  decide(switches: EmulatorSwitches): FaultDecision {
    if (switches.timeoutRate > 0 && this.stream.next() < switches.timeoutRate) {
      return { kind: "timeout" };
    }
    if (switches.errorRate > 0 && this.stream.next() < switches.errorRate) {
      const index = Math.floor(this.stream.next() * ERROR_STATUSES.length);
      return { kind: "error", status: ERROR_STATUSES[index] ?? 500 };
    }
    return { kind: "none" };
  }

  restart(): void {
    this.stream.restart();
  }
}
