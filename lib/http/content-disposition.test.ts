import { describe, expect, it } from "vitest";
import { attachmentDisposition } from "./content-disposition";

describe("attachmentDisposition", () => {
  it("sends an ASCII name in both forms", () => {
    expect(attachmentDisposition("inview-data-2026-01-02.zip")).toBe(
      "attachment; filename=\"inview-data-2026-01-02.zip\"; filename*=UTF-8''inview-data-2026-01-02.zip",
    );
  });

  it("percent-encodes a non-ASCII name", () => {
    const header = attachmentDisposition('Zoë "Ünïcode"; 東京.zip');
    expect(header).toContain(
      "filename*=UTF-8''Zo%C3%AB%20%22%C3%9Cn%C3%AFcode%22%3B%20%E6%9D%B1%E4%BA%AC.zip",
    );
    expect(header).toContain('filename="Zoe _Unicode__ .zip"');
  });
});
