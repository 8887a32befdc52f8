import os from "node:os";
import { serverVersion } from "./database";

export type Machine = {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  postgres: string;
  /** One-, five- and fifteen-minute load averages when the run ended. */
  loadAverage: number[];
};

export async function describeMachine(databaseUrl: string): Promise<Machine> {
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    postgres: await serverVersion(databaseUrl),
    loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100),
  };
}
