// An invoke result (InfluxDB's CSV) as tables, one per Flux result table, and a line chart when
// the tables have _time and numeric _value columns. Cells are only ever set with textContent.

const SVG = "http://www.w3.org/2000/svg";
const COLORS = ["#2f6fdf", "#d9480f", "#2b8a3e", "#862e9c", "#c2255c", "#0b7285", "#5c940d"];

// RFC 4180 rows; an empty line is an empty array (it separates blocks of one header each).
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  let fieldStarted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
      fieldStarted = true;
    } else if (c === ",") {
      row.push(field);
      field = "";
      fieldStarted = true;
    } else if (c === "\r" || c === "\n") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      if (fieldStarted || field !== "" || row.length) row.push(field);
      rows.push(row);
      row = [];
      field = "";
      fieldStarted = false;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (fieldStarted || field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

// [{name, columns, rows}] per (result, table); an in-band error row throws.
export function resultTables(text) {
  const tables = new Map();
  let header = null;
  for (const row of parseCsv(text)) {
    if (row.length === 0) {
      header = null;
      continue;
    }
    if (row[0].startsWith("#")) {
      header = null; // annotations start a new block; its header follows them
      continue;
    }
    if (header === null) {
      header = row;
      continue;
    }
    const at = (name) => row[header.indexOf(name)] ?? "";
    if (header.includes("error") && !header.includes("_value")) {
      throw new Error(`the query failed: ${at("error")}`);
    }
    const key = `${at("result")}\u0000${at("table")}`;
    if (!tables.has(key)) {
      const keep = header.map((name, i) => [name, i]).filter(([name]) => name !== "");
      tables.set(key, {
        name: `result ${at("result")}, table ${at("table")}`,
        columns: keep.map(([name]) => name),
        indexes: keep.map(([, i]) => i),
        rows: [],
      });
    }
    const table = tables.get(key);
    table.rows.push(table.indexes.map((i) => row[i] ?? ""));
  }
  return [...tables.values()];
}

// A browser stays responsive with this many rows per table; the chart still has them all.
export const MAX_ROWS = 1000;

export function tableElement(table) {
  const element = document.createElement("table");
  const caption = element.createCaption();
  const shown = table.rows.slice(0, MAX_ROWS);
  caption.textContent = shown.length < table.rows.length
    ? `${table.name} (the first ${shown.length} of ${table.rows.length} rows)`
    : table.name;
  const headRow = element.createTHead().insertRow();
  for (const name of table.columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = name;
    headRow.append(th);
  }
  const body = element.createTBody();
  for (const values of shown) {
    const tr = body.insertRow();
    for (const value of values) tr.insertCell().textContent = value;
  }
  return element;
}

// The points of each table that has _time and numeric _value columns; null when none has.
export function chartSeries(tables) {
  const series = [];
  for (const table of tables) {
    const t = table.columns.indexOf("_time");
    const v = table.columns.indexOf("_value");
    if (t < 0 || v < 0) continue;
    const points = [];
    let numeric = true;
    for (const row of table.rows) {
      const time = Date.parse(row[t]);
      const value = row[v].trim() === "" ? NaN : Number(row[v]);
      if (!Number.isFinite(value) || Number.isNaN(time)) {
        numeric = false;
        break;
      }
      points.push([time, value]);
    }
    if (numeric && points.length) series.push({ name: table.name, points });
  }
  return series.length ? series : null;
}

function svg(name, attributes, text) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

export function chartElement(series) {
  // The legend (one line per table) sits above the plot, so it never hides a point.
  const top = 20 + 14 * series.length;
  const [width, height, left, right, bottom] = [720, 260 + 14 * series.length, 70, 16, 40];
  const all = series.flatMap((s) => s.points);
  let [t0, t1] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  let [v0, v1] = [Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[1]))];
  if (t0 === t1) [t0, t1] = [t0 - 30000, t1 + 30000]; // one instant: a minute around it
  if (v0 === v1) [v0, v1] = [v0 - 1, v1 + 1];
  const x = (t) => left + ((t - t0) / (t1 - t0)) * (width - left - right);
  const y = (v) => height - bottom - ((v - v0) / (v1 - v0)) * (height - top - bottom);
  const chart = svg("svg", {
    viewBox: `0 0 ${width} ${height}`, role: "img", class: "chart",
    "aria-label": "Line chart of _value over _time",
  });
  chart.append(svg("line", { x1: left, y1: height - bottom, x2: width - right, y2: height - bottom, class: "axis" }));
  chart.append(svg("line", { x1: left, y1: top, x2: left, y2: height - bottom, class: "axis" }));
  chart.append(svg("text", { x: left - 6, y: top + 10, "text-anchor": "end", class: "tick" }, String(v1)));
  chart.append(svg("text", { x: left - 6, y: height - bottom, "text-anchor": "end", class: "tick" }, String(v0)));
  const iso = (t) => new Date(t).toISOString().replace(".000Z", "Z");
  chart.append(svg("text", { x: left, y: height - bottom + 18, class: "tick" }, iso(t0)));
  chart.append(svg("text", { x: width - right, y: height - bottom + 18, "text-anchor": "end", class: "tick" }, iso(t1)));
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const group = svg("g", { class: "series" });
    group.append(svg("title", {}, s.name));
    const points = s.points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
    group.append(svg("polyline", { points, fill: "none", stroke: color, "stroke-width": 2 }));
    for (const [t, v] of s.points) {
      group.append(svg("circle", { cx: x(t).toFixed(1), cy: y(v).toFixed(1), r: 3, fill: color }));
    }
    chart.append(group);
    // The legend: which table each line is.
    chart.append(svg("text", { x: width - right, y: 14 + 14 * i, "text-anchor": "end", fill: color,
      class: "legend" }, s.name));
  });
  return chart;
}
