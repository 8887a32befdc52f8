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
 * Draws the chart SVG inside `container` on a canvas at the screen's pixel
 * ratio, with the title above it, and downloads it as a PNG file.
 */
export async function downloadChartPng(
  container: HTMLElement,
  title: string,
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
    const canvas = document.createElement("canvas");
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil((height + TITLE_HEIGHT) * scale);
    const context = canvas.getContext("2d");
    if (!context) throw new Error("The browser has no 2D canvas.");

    const styles = getComputedStyle(container);
    context.scale(scale, scale);
    context.fillStyle = styles.backgroundColor || "#ffffff";
    context.fillRect(0, 0, width, height + TITLE_HEIGHT);
    context.fillStyle = styles.color || "#000000";
    context.font = `600 14px ${styles.fontFamily}`;
    context.fillText(title, 8, 18);
    context.drawImage(image, 0, TITLE_HEIGHT, width, height);

    saveBlob(await canvasBlob(canvas), fileName);
  } finally {
    URL.revokeObjectURL(svgUrl);
  }
}
