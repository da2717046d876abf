// Every download the dashboard makes: the lists' CSV, the insights CSV, the chart as SVG or PNG.
// One way to save a file and say so (or say what failed) in the toast.

import { api } from "./api.js";
import { h, toast } from "./dom.js";
import { errorText, t } from "./i18n.js";

/** Save a Blob as a file via a temporary object URL. */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Save what `makeBlob()` resolves to as `file`; the toast names the file, or the error. */
export async function exportFile(file, makeBlob) {
  try {
    saveBlob(await makeBlob(), file);
    toast(t("export.done", { file }));
  } catch (err) {
    toast(errorText(err), "error");
  }
}

/** A CSV the helper writes (GET path?params), saved as `file`. */
export const exportCsv = (path, params, file) => exportFile(file, () => api.blob(path, params));

/** An <svg> as a standalone SVG document string. */
export function svgSource(el) {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(el)}`;
}

/** Rasterise an <svg> to a PNG Blob through a canvas (2× for sharp text). */
export function svgToPng(el) {
  const width = Number(el.getAttribute("width"));
  const height = Number(el.getAttribute("height"));
  const url = URL.createObjectURL(new Blob([svgSource(el)], { type: "image/svg+xml" }));
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = width * 2;
      canvas.height = height * 2;
      const ctx = canvas.getContext("2d");
      ctx.scale(2, 2);
      ctx.drawImage(img, 0, 0, width, height);
      URL.revokeObjectURL(url);
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("PNG export failed"))), "image/png");
    };
    img.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error("PNG export failed"));
    };
    img.src = url;
  });
}

/** An <svg> chart saved as .svg or .png. */
export const exportChart = (el, kind, file) =>
  exportFile(file, async () => (kind === "svg" ? new Blob([svgSource(el)], { type: "image/svg+xml" }) : svgToPng(el)));
