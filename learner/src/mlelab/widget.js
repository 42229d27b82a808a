// The MLE widget's view: sliders, readout and both plots drawn together, in one frame, from one set of
// parameters. The kernel sends a scene once per data set and family (mlelab/scene.py) and the answer
// only when "show the MLE" is pressed; every slider move is drawn here, without a round trip.
// (likelihood.js is prepended to this file by mlelab/widget.py: logLikelihood and logDensity come from it.)

const VIRIDIS = [
  [68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142],
  [31, 158, 137], [53, 183, 121], [110, 206, 88], [181, 222, 43], [253, 231, 37],
];  // prettier-ignore

function viridis(t) {
  const s = Math.min(Math.max(t, 0), 1) * (VIRIDIS.length - 1);
  const i = Math.min(Math.floor(s), VIRIDIS.length - 2);
  const f = s - i;
  return VIRIDIS[i].map((c, k) => Math.round(c + f * (VIRIDIS[i + 1][k] - c)));
}

const rgb = (c) => `rgb(${c[0]},${c[1]},${c[2]})`;

// The profile of a one-parameter family is drawn as ℓ - max ℓ on this fixed vertical range, as notebook 3
// draws it: more data, a sharper peak (an autoscaled ℓ axis draws the same curve for every n).
const PROFILE_DROP = 8;
const PROFILE_HEADROOM = 0.5;

function floats(view) {
  // A bytes value of the scene arrives as a DataView (or an ArrayBuffer) of little-endian float64.
  const buffer = view.buffer ?? view;
  const copy = buffer.slice(view.byteOffset ?? 0, (view.byteOffset ?? 0) + (view.byteLength ?? buffer.byteLength));
  return new Float64Array(copy);
}

function format(value) {
  if (value === Infinity) return "∞";
  if (value === -Infinity) return "-∞";
  return value.toFixed(4);
}

function short(value) {
  return Number(value.toPrecision(4)).toString();
}

function ticks(low, high, log) {
  if (log) {
    const out = [];
    for (let e = Math.floor(Math.log10(low)); e <= Math.ceil(Math.log10(high)); e++) {
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** e;
        if (v >= low && v <= high) out.push(v);
      }
    }
    return out.length >= 2 ? out : [low, high];
  }
  const raw = (high - low) / 6;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
  const out = [];
  for (let v = Math.ceil(low / step) * step; v <= high + 1e-9 * step; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** A plot area on a canvas: maps data to pixels (linear or log10 axes) and draws the axes. */
class Frame {
  constructor(context, box, xRange, yRange, xLog, yLog) {
    Object.assign(this, { context, box, xRange, yRange, xLog, yLog });
  }

  static u(value, log) {
    return log ? Math.log10(value) : value;
  }

  px(x) {
    const [a, b] = this.xRange.map((v) => Frame.u(v, this.xLog));
    return this.box.left + ((Frame.u(x, this.xLog) - a) / (b - a)) * this.box.width;
  }

  py(y) {
    const [a, b] = this.yRange.map((v) => Frame.u(v, this.yLog));
    return this.box.top + this.box.height - ((Frame.u(y, this.yLog) - a) / (b - a)) * this.box.height;
  }

  axes(xLabel, yLabel) {
    const c = this.context;
    const { left, top, width, height } = this.box;
    c.strokeStyle = "#444";
    c.lineWidth = 1;
    c.strokeRect(left, top, width, height);
    c.fillStyle = "#222";
    c.font = "12px sans-serif";
    c.textAlign = "center";
    c.textBaseline = "top";
    for (const t of ticks(...this.xRange, this.xLog)) {
      const x = this.px(t);
      c.fillRect(x, top + height, 1, 5);
      c.fillText(short(t), x, top + height + 7);
    }
    c.textAlign = "right";
    c.textBaseline = "middle";
    for (const t of ticks(...this.yRange, this.yLog)) {
      const y = this.py(t);
      c.fillRect(left - 5, y, 5, 1);
      c.fillText(short(t), left - 7, y);
    }
    c.font = "14px sans-serif";
    c.textAlign = "center";
    c.textBaseline = "bottom";
    c.fillText(xLabel, left + width / 2, top + height + 40);
    c.save();
    c.translate(left - 52, top + height / 2);
    c.rotate(-Math.PI / 2);
    c.textBaseline = "top";
    c.fillText(yLabel, 0, 0);
    c.restore();
  }

  clip(draw) {
    const c = this.context;
    c.save();
    c.beginPath();
    c.rect(this.box.left, this.box.top, this.box.width, this.box.height);
    c.clip();
    draw(c);
    c.restore();
  }
}

function legend(context, box, entries) {
  context.font = "12px sans-serif";
  context.textAlign = "left";
  context.textBaseline = "middle";
  const width = Math.max(...entries.map(([label]) => context.measureText(label).width)) + 40;
  const x = box.left + box.width - width - 8;
  context.fillStyle = "rgba(255,255,255,0.85)";
  context.fillRect(x, box.top + 6, width, entries.length * 18 + 6);
  entries.forEach(([label, colour, mark], i) => {
    const y = box.top + 18 + i * 18;
    context.fillStyle = colour;
    context.strokeStyle = colour;
    if (mark === "line") context.fillRect(x + 6, y - 1, 22, 3);
    else context.fillRect(x + 12, y - 5, 10, 10);
    context.fillStyle = "#222";
    context.fillText(label, x + 34, y);
  });
}

function star(context, x, y, radius, colour) {
  context.beginPath();
  for (let i = 0; i < 10; i++) {
    const r = i % 2 ? radius * 0.45 : radius;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    context.lineTo(x + r * Math.cos(a), y + r * Math.sin(a));
  }
  context.closePath();
  context.fillStyle = colour;
  context.fill();
  context.strokeStyle = "white";
  context.lineWidth = 1;
  context.stroke();
}

/** Iso-lines of a grid (marching squares), as segments in grid index coordinates. */
function isolines(values, columns, rows, level) {
  const segments = [];
  const at = (i, j) => values[j * columns + i];
  const cut = (a, b) => (level - a) / (b - a);
  for (let j = 0; j < rows - 1; j++) {
    for (let i = 0; i < columns - 1; i++) {
      const corners = [at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1)];
      if (!corners.every(Number.isFinite)) continue;
      const points = [];
      const edges = [[0, 1, [i, j], [1, 0]], [1, 2, [i + 1, j], [0, 1]], [3, 2, [i, j + 1], [1, 0]], [0, 3, [i, j], [0, 1]]];  // prettier-ignore
      for (const [p, q, [x, y], [dx, dy]] of edges) {
        if (corners[p] >= level !== corners[q] >= level) {
          const f = cut(corners[p], corners[q]);
          points.push([x + f * dx, y + f * dy]);
        }
      }
      if (points.length === 2) segments.push(points);
      if (points.length === 4) segments.push(points.slice(0, 2), points.slice(2));
    }
  }
  return segments;
}

function decode(scene) {
  const axes = scene.axes.map(floats);
  const values = floats(scene.values);
  let best = -Infinity;
  for (const v of values) if (v > best) best = v;
  return { ...scene, x: floats(scene.x), axes, values, best };
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function render({ model, el }) {
  const root = element("div", "mlelab");
  // Keys pressed in the widget move its sliders and fill its fields: they never reach the notebook's shortcuts
  // (ArrowRight in command mode moves to the next heading, "a" inserts a cell), which JupyterLab handles as
  // the key bubbles up and Notebook 7 as it goes down through the document: stopped at the window, first.
  root.setAttribute("data-lm-suppress-shortcuts", "true");
  const keepKeys = (event) => {
    if (root.contains(event.target)) event.stopPropagation();
  };
  window.addEventListener("keydown", keepKeys, true);
  const width = model.get("width");
  root.style.width = `${width}px`;
  root.style.maxWidth = "100%";
  const title = element("div", "mlelab-title");
  const controls = element("div", "mlelab-row");
  const picker = element("select", "mlelab-family");
  for (const name of model.get("families")) picker.append(new Option(name, name));
  const showMle = element("button", "mlelab-button mlelab-show-mle", "show the MLE");
  const showTruth = element("button", "mlelab-button mlelab-show-truth", "show the truth");
  const pickerLabel = element("label", "mlelab-label", "family ");
  pickerLabel.append(picker);
  controls.append(pickerLabel, showMle, showTruth);
  const sliderBox = element("div", "mlelab-sliders");
  const sampling = element("div", "mlelab-row");
  const size = element("input", "mlelab-n");
  Object.assign(size, { type: "range", min: 5, max: 2000, step: 5, value: model.get("sample_size") });
  const sizeLabel = element("span", "mlelab-label", `n = ${model.get("sample_size")}`);
  const resample = element("button", "mlelab-button mlelab-resample", "resample");
  resample.title = "draw a new sample of size n from the truth (or from the fitted model)";
  const restore = element("button", "mlelab-button mlelab-restore", "my data");
  sampling.append(sizeLabel, size, resample, restore);
  const message = element("div", "mlelab-message");
  const readout = element("div", "mle-readout");
  const picture = element("div", "mle-picture");
  const plotHeight = Math.max(280, Math.round(model.get("height") - 200));
  const canvas = element("canvas", "mle-canvas");
  picture.append(canvas);
  root.append(title, controls, sliderBox, sampling, message, readout, picture);
  el.append(root);

  let scene = null;
  let params = [];
  let sliders = [];
  let frame = 0;
  let redraws = 0;
  let sent = "";
  let heatmap = null;

  function rebuild() {
    const raw = model.get("scene");
    scene = raw && raw.sliders ? decode(raw) : null;
    heatmap = null;
    title.innerHTML = "";
    const feature = model.get("feature_name");
    const n = scene ? scene.x.length : model.get("n");
    title.append("Fit a ", element("b", "", model.get("family")), " distribution to ", element("b", "", feature));
    title.append(` (${n} observations)`);
    picker.value = model.get("family");
    showStatus();
    sliderBox.replaceChildren();
    sliders = [];
    picture.style.display = scene ? "" : "none";
    readout.style.display = scene ? "" : "none";
    if (!scene) return;
    scene.sliders.forEach((spec, index) => {
      const row = element("div", "mlelab-slider-row");
      const range = element("input", "mlelab-slider");
      Object.assign(range, { type: "range", min: spec.min, max: spec.max, step: spec.step });
      range.dataset.index = index;
      const field = element("input", "mlelab-value");
      field.type = "text";
      field.setAttribute("aria-label", spec.symbol);
      range.setAttribute("aria-label", spec.symbol);
      range.addEventListener("input", () => {
        params[index] = spec.log ? 10 ** Number(range.value) : Number(range.value);
        field.value = short(params[index]);
        schedule();
      });
      field.addEventListener("change", () => {
        const typed = Number(field.value.replace(",", "."));
        if (Number.isFinite(typed) && (!spec.log || typed > 0)) setParam(index, typed);
        else field.value = short(params[index]);
        schedule();
      });
      row.append(element("span", "mlelab-symbol", spec.symbol), range, field);
      sliderBox.append(row);
      sliders.push({ spec, range, field });
    });
    params = [...model.get("params")];
    sliders.forEach((_, index) => setParam(index, params[index]));
  }

  /** The message line (a note on what just happened, or an error) and whether "show the truth" works, and why. */
  function showStatus() {
    message.textContent = model.get("message");
    message.classList.toggle("mlelab-note", model.get("message_kind") !== "error");
    showTruth.disabled = !model.get("has_truth");
    showTruth.title = model.get("truth_reason") || "move the sliders to the parameters the data were simulated from";
  }

  /** Put the slider at `value` (clipped to its range; on its step when typed) and keep the exact value. */
  function setParam(index, value) {
    const { spec, range, field } = sliders[index];
    const position = spec.log ? Math.log10(value) : value;
    const clipped = Math.min(Math.max(position, spec.min), spec.max);
    range.value = String(clipped);
    params[index] = spec.log ? 10 ** clipped : clipped;
    if (clipped === position) params[index] = value;
    field.value = short(params[index]);
  }

  function schedule() {
    if (!frame) frame = requestAnimationFrame(draw);
  }

  function draw() {
    frame = 0;
    if (!scene) return;
    const answer = model.get("answer");
    const revealed = Boolean(answer && answer.mle);
    const { each, total } = logLikelihood(scene.family, params, scene.x);
    redraws += 1;
    drawReadout(total, answer, revealed);
    drawPlots(each, total, answer, revealed);
    picture.dataset.params = params.join(", ");
    picture.dataset.loglik = String(total);
    picture.dataset.revealed = String(revealed);
    picture.dataset.redraws = String(redraws);
    const key = params.join(",");
    if (key !== sent) {
      sent = key;
      model.set("params", [...params]);
      model.save_changes();
    }
  }

  function drawReadout(total, answer, revealed) {
    const n = scene.x.length;
    readout.dataset.params = params.join(", ");
    readout.replaceChildren();
    const value = element("b", "mle-loglik", format(total));
    value.dataset.value = String(total);
    readout.append("log-likelihood ℓ = ", value, element("br"), `per observation = ${format(total / n)}`);
    readout.append(element("br"));
    if (revealed) {
      const gap = answer.best_log_likelihood - total;
      readout.append(`maximum ℓ(MLE) = ${format(answer.best_log_likelihood)}, gap = `);
      const gapNode = element("span", "mle-gap", format(gap));
      readout.append(gapNode);
      const hue = Math.round(220 - 220 * (Number.isFinite(gap) ? Math.exp(-gap / 2) : 0));
      readout.style.borderLeftColor = `hsl(${hue},85%,50%)`;
    } else {
      readout.append(element("i", "mle-hidden", "maximum ℓ(MLE): how high can you get? Press show the MLE to see."));
      readout.style.borderLeftColor = "#999";
    }
  }

  function drawPlots(each, total, answer, revealed) {
    const ratio = window.devicePixelRatio || 1;
    const cssWidth = Math.max(300, picture.clientWidth || width);
    if (canvas.width !== Math.round(cssWidth * ratio) || canvas.height !== Math.round(plotHeight * ratio)) {
      canvas.width = Math.round(cssWidth * ratio);
      canvas.height = Math.round(plotHeight * ratio);
      canvas.style.width = `${cssWidth}px`;
      canvas.style.height = `${plotHeight}px`;
    }
    const c = canvas.getContext("2d");
    c.setTransform(ratio, 0, 0, ratio, 0, 0);
    c.fillStyle = "white";
    c.fillRect(0, 0, cssWidth, plotHeight);
    const split = Math.round(cssWidth * 0.6);
    const margin = { left: 70, right: 20, top: 30, bottom: 55 };
    const leftBox = { left: margin.left, top: margin.top, width: split - margin.left - margin.right, height: plotHeight - margin.top - margin.bottom };
    const rightBox = { left: split + margin.left, top: margin.top, width: cssWidth - split - margin.left - margin.right, height: leftBox.height };
    drawData(c, leftBox, each);
    if (scene.sliders.length === 1) drawProfile(c, rightBox, total, answer, revealed);
    else drawLandscape(c, rightBox, answer, revealed);
  }

  function drawData(c, box, each) {
    const x = scene.x;
    const density = logDensity(scene.family, params);
    const histogram = scene.histogram;
    let low, high, curve;
    if (scene.discrete) {
      const top = Math.max(Math.max(...histogram.values) * 1.5, 2);
      curve = [];
      for (let k = 0; k <= top; k++) curve.push([k, Math.exp(density(k))]);
      low = -0.8;
      high = top + 0.8;
    } else {
      low = Math.min(...histogram.edges) - scene.spread;
      high = Math.max(...histogram.edges) + scene.spread;
      curve = [];
      for (let i = 0; i < 400; i++) {
        const at = low + ((high - low) * i) / 399;
        curve.push([at, Math.exp(density(at))]);
      }
    }
    const tallest = Math.max(...histogram.heights, ...curve.map(([, d]) => (Number.isFinite(d) ? d : 0)));
    const frame = new Frame(c, box, [low, high], [0, tallest * 1.08 || 1], false, false);
    frame.clip((c) => {
      c.fillStyle = "#9ecae1";
      if (scene.discrete) {
        histogram.values.forEach((v, i) => {
          c.fillRect(frame.px(v - 0.4), frame.py(histogram.heights[i]), frame.px(v + 0.4) - frame.px(v - 0.4), frame.py(0) - frame.py(histogram.heights[i]));
        });
        c.fillStyle = "#d62728";
        for (const [k, d] of curve) {
          c.beginPath();
          c.arc(frame.px(k), frame.py(d), 4, 0, 2 * Math.PI);
          c.fill();
        }
      } else {
        c.strokeStyle = "white";
        histogram.heights.forEach((h, i) => {
          const [a, b] = [frame.px(histogram.edges[i]), frame.px(histogram.edges[i + 1])];
          c.fillRect(a, frame.py(h), b - a, frame.py(0) - frame.py(h));
          c.strokeRect(a, frame.py(h), b - a, frame.py(0) - frame.py(h));
        });
        c.strokeStyle = "#d62728";
        c.lineWidth = 2.5;
        c.beginPath();
        for (const [at, d] of curve) c.lineTo(frame.px(at), frame.py(Math.min(d, tallest * 2)));
        c.stroke();
      }
      let lowest = Infinity, highest = -Infinity;
      for (const v of each) if (Number.isFinite(v)) { lowest = Math.min(lowest, v); highest = Math.max(highest, v); }  // prettier-ignore
      c.lineWidth = 2;
      for (let i = 0; i < x.length; i++) {
        const colour = Number.isFinite(each[i]) ? rgb(viridis((each[i] - lowest) / (highest - lowest || 1))) : "#cc0000";
        c.strokeStyle = colour;
        c.beginPath();
        c.moveTo(frame.px(x[i]), frame.py(0));
        c.lineTo(frame.px(x[i]), frame.py(0) - 18);
        c.stroke();
      }
    });
    frame.axes(model.get("feature_name"), scene.discrete ? "probability" : "density");
    legend(c, box, [
      [scene.discrete ? "data (proportions)" : "data", "#9ecae1", "box"],
      [scene.discrete ? "model mass" : "model density", "#d62728", "line"],
      ["each xᵢ, coloured by log f(xᵢ)", rgb(viridis(0.6)), "line"],
    ]);
  }

  /** The window shown on a parameter axis: the scene's first window, widened to hold `value`. */
  function window1(index, value) {
    const spec = scene.sliders[index];
    const [low, high] = scene.window[index];
    if (spec.log) {
      const [a, b] = [Math.log10(low), Math.log10(high)];
      const u = Math.log10(value);
      const pad = 0.06 * (b - a);
      return [10 ** Math.max(Math.min(a, u - pad), spec.min), 10 ** Math.min(Math.max(b, u + pad), spec.max)];
    }
    const pad = 0.06 * (high - low);
    const floor = spec.symbol === "p" ? 0 : spec.min;
    const ceiling = spec.symbol === "p" ? 1 : spec.max;
    return [Math.max(Math.min(low, value - pad), floor), Math.min(Math.max(high, value + pad), ceiling)];
  }

  function drawProfile(c, box, total, answer, revealed) {
    const spec = scene.sliders[0];
    const grid = scene.axes[0];
    const values = scene.values;
    const [low, high] = window1(0, params[0]);
    const yRange = [-PROFILE_DROP, PROFILE_HEADROOM];
    const frame = new Frame(c, box, [low, high], yRange, spec.log, false);
    picture.dataset.profile = JSON.stringify({ x: [low, high], y: yRange, box: [box.left, box.top, box.width, box.height], log: spec.log });  // prettier-ignore
    const entries = [["ℓ", "#1f77b4", "line"]];
    frame.clip((c) => {
      let firstFinite = null;
      c.strokeStyle = "#1f77b4";
      c.lineWidth = 2;
      c.beginPath();
      for (let i = 0; i < grid.length; i++) {
        if (!Number.isFinite(values[i])) continue;
        if (firstFinite === null) firstFinite = grid[i];
        c.lineTo(frame.px(grid[i]), frame.py(Math.max(values[i] - scene.best, -2 * PROFILE_DROP)));
      }
      c.stroke();
      if (firstFinite === null || firstFinite > grid[0]) {
        const edge = firstFinite === null ? high : firstFinite;
        c.fillStyle = "rgba(214,39,40,0.12)";
        c.fillRect(frame.px(low), box.top, Math.max(0, frame.px(Math.min(edge, high)) - frame.px(low)), box.height);
        entries.push(["ℓ = -∞: some xᵢ impossible", "rgba(214,39,40,0.3)", "box"]);
      }
      if (revealed && answer.wald) {
        c.fillStyle = "rgba(44,160,44,0.18)";
        c.fillRect(frame.px(answer.wald[0]), box.top, frame.px(answer.wald[1]) - frame.px(answer.wald[0]), box.height);
      }
      if (revealed) {
        c.strokeStyle = "#d62728";
        c.setLineDash([6, 4]);
        c.beginPath();
        c.moveTo(frame.px(answer.mle[0]), box.top);
        c.lineTo(frame.px(answer.mle[0]), box.top + box.height);
        c.stroke();
        c.setLineDash([]);
      }
      if (scene.truth) {
        c.strokeStyle = "grey";
        c.setLineDash([2, 3]);
        c.beginPath();
        c.moveTo(frame.px(scene.truth[0]), box.top);
        c.lineTo(frame.px(scene.truth[0]), box.top + box.height);
        c.stroke();
        c.setLineDash([]);
      }
      c.strokeStyle = "black";
      c.lineWidth = 2;
      c.beginPath();
      c.moveTo(frame.px(params[0]), box.top);
      c.lineTo(frame.px(params[0]), box.top + box.height);
      c.stroke();
      const drop = Number.isFinite(total) ? Math.max(total - scene.best, -PROFILE_DROP) : -PROFILE_DROP;
      c.beginPath();  // where "you" are on the curve (on the bottom edge when further down)
      c.arc(frame.px(params[0]), frame.py(drop), 5, 0, 2 * Math.PI);
      c.fillStyle = "black";
      c.fill();
    });
    if (revealed) entries.push([`MLE ${short(answer.mle[0])}`, "#d62728", "line"]);
    entries.push([`you ${short(params[0])}`, "black", "line"]);
    if (revealed && answer.wald) entries.push(["95% Wald interval", "rgba(44,160,44,0.4)", "box"]);
    if (scene.truth) entries.push([`truth ${short(scene.truth[0])}`, "grey", "line"]);
    frame.axes(spec.symbol, "ℓ − max ℓ");
    legend(c, box, entries);
  }

  /** The landscape as an image, one pixel per grid point, made once per scene. */
  function landscapeImage() {
    if (heatmap) return heatmap;
    const [columns, rows] = [scene.axes[0].length, scene.axes[1].length];
    const image = new ImageData(columns, rows);
    for (let j = 0; j < rows; j++) {
      for (let i = 0; i < columns; i++) {
        const v = scene.values[j * columns + i];
        const colour = viridis(Number.isFinite(v) ? (Math.max(v, scene.best - 60) - (scene.best - 60)) / 60 : 0);
        const at = 4 * ((rows - 1 - j) * columns + i);  // row 0 is the lowest value of the second parameter
        image.data.set([...colour, 255], at);
      }
    }
    const offscreen = document.createElement("canvas");
    [offscreen.width, offscreen.height] = [columns, rows];
    offscreen.getContext("2d").putImageData(image, 0, 0);
    const lines = [20, 10, 5, 2, 1, 0.5].flatMap((drop) => isolines(scene.values, columns, rows, scene.best - drop));
    heatmap = { offscreen, lines, columns, rows };
    return heatmap;
  }

  function drawLandscape(c, box, answer, revealed) {
    const [first, second] = scene.sliders;
    const xRange = window1(0, params[0]);
    const yRange = window1(1, params[1]);
    const frame = new Frame(c, box, xRange, yRange, first.log, second.log);
    const { offscreen, lines, columns, rows } = landscapeImage();
    const [ax, ay] = scene.axes;
    const gridU = (axis, log, k) => {
      // grid index k (fractional) -> parameter value, on the axis's own (linear or log) scale
      const [a, b] = [Frame.u(axis[0], log), Frame.u(axis[axis.length - 1], log)];
      const u = a + ((b - a) * k) / (axis.length - 1);
      return log ? 10 ** u : u;
    };
    frame.clip((c) => {
      // Grid points are pixel centres: the image spans half a cell beyond the first and last point.
      const x0 = frame.px(gridU(ax, first.log, -0.5));
      const x1 = frame.px(gridU(ax, first.log, columns - 0.5));
      const y0 = frame.py(gridU(ay, second.log, rows - 0.5));
      const y1 = frame.py(gridU(ay, second.log, -0.5));
      c.imageSmoothingEnabled = true;
      c.drawImage(offscreen, x0, y0, x1 - x0, y1 - y0);
      c.strokeStyle = "rgba(255,255,255,0.9)";
      c.lineWidth = 0.8;
      c.beginPath();
      for (const [[i0, j0], [i1, j1]] of lines) {
        c.moveTo(frame.px(gridU(ax, first.log, i0)), frame.py(gridU(ay, second.log, j0)));
        c.lineTo(frame.px(gridU(ax, first.log, i1)), frame.py(gridU(ay, second.log, j1)));
      }
      c.stroke();
      if (revealed && answer.wald) {
        c.strokeStyle = "rgba(214,39,40,0.8)";
        c.lineWidth = 4;
        c.beginPath();
        c.moveTo(frame.px(answer.wald[0]), frame.py(answer.mle[1]));
        c.lineTo(frame.px(answer.wald[1]), frame.py(answer.mle[1]));
        c.stroke();
      }
      if (scene.truth) {
        const [tx, ty] = [frame.px(scene.truth[0]), frame.py(scene.truth[1])];
        c.strokeStyle = "white";
        c.lineWidth = 2;
        c.beginPath();
        c.moveTo(tx - 6, ty - 6);
        c.lineTo(tx + 6, ty + 6);
        c.moveTo(tx + 6, ty - 6);
        c.lineTo(tx - 6, ty + 6);
        c.stroke();
      }
      c.beginPath();
      c.arc(frame.px(params[0]), frame.py(params[1]), 7, 0, 2 * Math.PI);
      c.fillStyle = "white";
      c.fill();
      c.strokeStyle = "black";
      c.lineWidth = 1.5;
      c.stroke();
      if (revealed) star(c, frame.px(answer.mle[0]), frame.py(answer.mle[1]), 11, "#d62728");  // on top of "you"
    });
    picture.dataset.window = [...xRange, ...yRange].join(", ");
    frame.axes(first.symbol, second.symbol);
    c.font = "14px sans-serif";
    c.textAlign = "center";
    c.textBaseline = "bottom";
    c.fillStyle = "#222";
    c.fillText("ℓ over both parameters (brighter = higher)", box.left + box.width / 2, box.top - 6);
    const entries = [];
    if (revealed) entries.push(["MLE", "#d62728", "box"]);
    entries.push(["you", "black", "box"]);
    if (revealed && answer.wald) entries.push([`95% Wald interval for ${first.symbol}`, "rgba(214,39,40,0.8)", "line"]);
    if (scene.truth) entries.push(["truth", "white", "box"]);
    legend(c, box, entries);
  }

  picker.addEventListener("change", () => {
    model.set("family", picker.value);
    model.save_changes();
  });
  showMle.addEventListener("click", () => model.send({ event: "show_mle" }));
  showTruth.addEventListener("click", () => model.send({ event: "show_truth" }));
  size.addEventListener("input", () => {
    sizeLabel.textContent = `n = ${size.value}`;
  });
  size.addEventListener("change", () => {
    model.set("sample_size", Number(size.value));
    model.save_changes();
  });
  resample.addEventListener("click", () => model.send({ event: "resample", n: Number(size.value) }));
  restore.addEventListener("click", () => model.send({ event: "restore" }));

  // One message from the kernel (a new scene, or the MLE with its answer) is one redraw: Backbone fires
  // "change:<name>" for each attribute the message carries, then one "change".
  const changed = new Set();
  const names = ["scene", "message", "message_kind", "has_truth", "truth_reason", "params", "answer"];
  const marks = names.map((name) => [`change:${name}`, () => changed.add(name)]);
  const onChange = () => {
    let redraw = false;
    if (changed.has("scene")) {
      rebuild();
      redraw = true;
    } else if (changed.has("params") && scene) {
      const incoming = model.get("params");
      if (incoming.join(",") !== params.join(",")) {
        incoming.forEach((v, i) => setParam(i, v));
        redraw = true;
      }
    }
    if (changed.has("answer")) redraw = true;
    if (["message", "message_kind", "has_truth", "truth_reason"].some((name) => changed.has(name))) showStatus();
    changed.clear();
    if (redraw) schedule();
  };
  for (const [event, mark] of marks) model.on(event, mark);
  model.on("change", onChange);
  rebuild();
  schedule();
  return () => {
    window.removeEventListener("keydown", keepKeys, true);
    for (const [event, mark] of marks) model.off(event, mark);
    model.off("change", onChange);
    if (frame) cancelAnimationFrame(frame);
  };
}

export default { render };
