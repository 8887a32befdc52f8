// Turns a rendered recharts SVG into a PNG in the browser; nothing is sent
// to the server.

/** Style properties copied inline, because CSS variables and classes do not reach a standalone SVG image. */
const INLINE_PROPERTIES = [
  "fill",
  "fill-opacity",
  "stroke",
  "stroke-width",
  "stroke-dasharray",
  "stroke-opacity",
  "opacity",
  "font-family",
  "font-size",
  "font-weight",
] as const;

const TITLE_HEIGHT = 28;
const LEGEND_ROW_HEIGHT = 18;
const LEGEND_SWATCH_WIDTH = 16;

/** One line of the chart, as the PNG's legend names it. */
export type PngLegendEntry = {
  /** The period and its dates, for example `This period: Mar 1 – 28, 2026`. */
  label: string;
  /** A CSS color, usually the `var(...)` the line is drawn with. */
  color: string;
  /** The swatch's shape: a line, a dashed line, or a hollow dot. */
  swatch: "line" | "dashed" | "hollow dot";
};

function inlineStyles(source: Element, target: Element): void {
  const sources = [source, ...source.querySelectorAll("*")];
  const targets = [target, ...target.querySelectorAll("*")];
  sources.forEach((element, index) => {
    const copy = targets[index];
    if (!(copy instanceof SVGElement)) return;
    const computed = getComputedStyle(element);
    for (const property of INLINE_PROPERTIES) {
      copy.style.setProperty(property, computed.getPropertyValue(property));
    }
  });
}

async function loadImage(url: string): Promise<HTMLImageElement> {
  const image = new Image();
  image.src = url;
  await image.decode();
  return image;
}

function canvasBlob(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (blob) resolve(blob);
      else reject(new Error("The browser could not encode the PNG."));
    }, "image/png");
  });
}

function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by the time click() returns in Chromium and
  // Firefox; revoking later still lets slower browsers read the blob.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Resolves a color such as `var(--color-chart-current)` against `element`,
 * because a canvas does not read CSS variables.
 */
function resolveColor(element: HTMLElement, color: string): string {
  const probe = document.createElement("span");
  probe.style.color = color;
  element.append(probe);
  const resolved = getComputedStyle(probe).color;
  probe.remove();
  return resolved;
}

/** Draws one legend row per entry: its swatch, then the label. */
function drawLegend(
  context: CanvasRenderingContext2D,
  container: HTMLElement,
  legend: PngLegendEntry[],
  top: number,
): void {
  context.font = `12px ${getComputedStyle(container).fontFamily}`;
  context.lineWidth = 2;
  legend.forEach((entry, index) => {
    const middle = top + index * LEGEND_ROW_HEIGHT + LEGEND_ROW_HEIGHT / 2;
    context.strokeStyle = resolveColor(container, entry.color);
    context.setLineDash(entry.swatch === "dashed" ? [4, 4] : []);
    context.beginPath();
    if (entry.swatch === "hollow dot") {
      context.arc(8 + LEGEND_SWATCH_WIDTH / 2, middle, 3.5, 0, 2 * Math.PI);
    } else {
      context.moveTo(8, middle);
      context.lineTo(8 + LEGEND_SWATCH_WIDTH, middle);
    }
    context.stroke();
    context.textBaseline = "middle";
    context.fillText(entry.label, 8 + LEGEND_SWATCH_WIDTH + 6, middle);
  });
  context.setLineDash([]);
  context.textBaseline = "alphabetic";
}

/**
 * Draws the chart SVG inside `container` on a canvas at the screen's pixel
 * ratio, with the title and a legend of its lines above it, and downloads
 * it as a PNG file.
 */
export async function downloadChartPng(
  container: HTMLElement,
  title: string,
  legend: PngLegendEntry[],
  fileName: string,
): Promise<void> {
  const svg = container.querySelector("svg.recharts-surface");
  if (!(svg instanceof SVGSVGElement)) {
    throw new Error("The chart is not drawn yet.");
  }
  const { width, height } = svg.getBoundingClientRect();
  const clone = svg.cloneNode(true) as SVGSVGElement;
  inlineStyles(svg, clone);
  clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  clone.setAttribute("width", String(width));
  clone.setAttribute("height", String(height));

  const svgUrl = URL.createObjectURL(
    new Blob([new XMLSerializer().serializeToString(clone)], {
      type: "image/svg+xml;charset=utf-8",
    }),
  );
  try {
    const image = await loadImage(svgUrl);
    const scale = window.devicePixelRatio || 1;
    const header = TITLE_HEIGHT + legend.length * LEGEND_ROW_HEIGHT + 4;
    const canvas = document.createElement("canvas");
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil((height + header) * scale);
    const context = canvas.getContext("2d");
    if (!context) throw new Error("The browser has no 2D canvas.");

    const styles = getComputedStyle(container);
    context.scale(scale, scale);
    context.fillStyle = styles.backgroundColor || "#ffffff";
    context.fillRect(0, 0, width, height + header);
    context.fillStyle = styles.color || "#000000";
    context.font = `600 14px ${styles.fontFamily}`;
    context.fillText(title, 8, 18);
    drawLegend(context, container, legend, TITLE_HEIGHT);
    context.drawImage(image, 0, header, width, height);

    saveBlob(await canvasBlob(canvas), fileName);
  } finally {
    URL.revokeObjectURL(svgUrl);
  }
}
