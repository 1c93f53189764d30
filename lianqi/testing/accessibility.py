"""Accessibility checks a browser test can run on the page it has open: text against its
background at WCAG AA contrast (4.5:1, large text 3:1)."""

from __future__ import annotations

from typing import Any

#: Walks every visible text node, blends its colour and its ancestors' backgrounds the way the
#: browser paints them, and returns the texts below AA contrast with their ratio.
CONTRAST_SCRIPT = r"""
() => {
  // Colours come back in any CSS syntax (Tabler's are oklch/oklab): a 1x1 canvas turns each
  // into sRGB with alpha.
  const canvas = document.createElement('canvas'); canvas.width = canvas.height = 1;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const cache = new Map();
  function parse(c) {
    if (cache.has(c)) return cache.get(c);
    ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = '#000'; ctx.fillStyle = c; ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    const value = {r: d[0], g: d[1], b: d[2], a: d[3] / 255};
    cache.set(c, value); return value;
  }
  function lum(c) { const f = v => { v/=255; return v<=0.03928? v/12.92 : Math.pow((v+0.055)/1.055, 2.4); }; return 0.2126*f(c.r)+0.7152*f(c.g)+0.0722*f(c.b); }
  function blend(top, bottom) { const a = top.a; return {r: top.r*a+bottom.r*(1-a), g: top.g*a+bottom.g*(1-a), b: top.b*a+bottom.b*(1-a), a: 1}; }
  function background(el) {
    const layers = [];
    for (let e = el; e; e = e.parentElement) { const bg = parse(getComputedStyle(e).backgroundColor); if (bg && bg.a > 0) { layers.push(bg); if (bg.a >= 1) break; } }
    let color = {r:255,g:255,b:255,a:1};
    for (let i = layers.length - 1; i >= 0; i--) color = blend(layers[i], color);
    return color;
  }
  const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const node = walker.currentNode; const el = node.parentElement;
    if (!el || seen.has(el) || !node.textContent.trim()) continue; seen.add(el);
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none' || parseFloat(style.opacity) === 0) continue;
    const rect = el.getBoundingClientRect(); if (rect.width === 0 || rect.height === 0) continue;
    if (el.closest('[aria-hidden=true], .visually-hidden, .visually-hidden-focusable, script, style, noscript, .dropdown-menu:not(.show)')) continue;
    let fg = parse(style.color); if (!fg) continue; const bg = background(el); fg = blend(fg, bg);
    const l1 = lum(fg), l2 = lum(bg); const ratio = (Math.max(l1,l2)+0.05)/(Math.min(l1,l2)+0.05);
    const size = parseFloat(style.fontSize); const bold = parseInt(style.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    if (ratio < (large ? 3 : 4.5)) bad.push({text: node.textContent.trim().slice(0, 30), ratio: Math.round(ratio*100)/100, cls: el.className.toString().slice(0,60), tag: el.tagName});
  }
  return bad;
}

"""


def contrast_failures(page: Any) -> list[dict[str, Any]]:
    """The texts on the page below WCAG AA contrast (empty when every text passes)."""
    return list(page.evaluate(CONTRAST_SCRIPT))
