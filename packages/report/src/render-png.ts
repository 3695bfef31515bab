import { Resvg } from '@resvg/resvg-js';

/**
 * Rasterises SVG text to PNG with resvg (Rust, shipped prebuilt inside the @resvg/resvg-js
 * package: no browser, no download). Text uses the system's fonts, DejaVu Sans or any sans
 * serif when the SVG asks for a font that is not installed.
 * @param svg - an SVG document, e.g. from renderSvg
 * @param scale - pixels per SVG unit; 2 gives sharp images on high-density screens. Default 2.
 * @returns the PNG file's bytes
 * @throws when the SVG cannot be parsed (resvg's error)
 */
export function renderPng(svg: string, scale = 2): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: {
      loadSystemFonts: true,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  });
  return resvg.render().asPng();
}
