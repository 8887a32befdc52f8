import "./load-dotenv";
import fs from "node:fs";
import { env } from "../lib/env";
import { verifyPayload } from "../lib/privacy/signing";

// Checks the HMAC-SHA256 signature of a deletion receipt saved as JSON,
// with the key the app signs with (RECEIPT_SIGNING_KEY, else AUTH_SECRET).
// Exit code 0: valid; 1: invalid or unreadable.

const file = process.argv[2];
if (!file) {
  console.error("Usage: npm run verify-receipt FILE");
  process.exit(1);
}

let receipt: Record<string, unknown>;
try {
  receipt = JSON.parse(fs.readFileSync(file, "utf8")) as Record<
    string,
    unknown
  >;
} catch (error) {
  console.error(`Cannot read ${file} as JSON: ${(error as Error).message}`);
  process.exit(1);
}

const { signature, ...payload } = receipt;
const value =
  signature && typeof signature === "object" && "value" in signature
    ? String(signature.value)
    : "";
if (verifyPayload(payload, value, env().receiptSigningKey)) {
  console.log(
    `Valid: receipt ${String(payload.receiptId)} was signed by this Inview.`,
  );
} else {
  console.error("Invalid: the signature does not match this receipt and key.");
  process.exit(1);
}
