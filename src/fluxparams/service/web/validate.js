// The invoke binding's rules (service/binding.py), for one form field at a time.
//
// validateParam(type, raw) reads the field's value (a string; a boolean for a checkbox) and
// returns {ok: true, json} with the JSON text to send, or {ok: false, message}. It accepts a
// value exactly when the server's binding accepts the JSON the form would send for it:
// tests/test_web_validate.py runs this module in Chromium and binding.py in Python over one table
// of cases, so the two cannot drift apart.
//
// Numbers travel as the text typed (never through a JS number), so an int64 or uint64 keeps
// every digit; BigInt does the range checks.

const INT_MIN = -(2n ** 63n);
const INT_MAX = 2n ** 63n - 1n;
const UINT_MAX = 2n ** 64n - 1n;
const JSON_INTEGER = /^-?(?:0|[1-9][0-9]*)$/;
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
const JSON_SPACE = /^[ \t\n\r]+|[ \t\n\r]+$/g;
const DURATION = /^(?:[0-9]+(?:mo|ms|us|µs|ns|y|w|d|h|m|s))+$/;
const DURATION_PART = /([0-9]+)(mo|ms|us|µs|ns|y|w|d|h|m|s)/g;
const DATETIME =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]*)?(Z|[+-]([0-9]{2}):([0-9]{2}))?)?$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// What each type's field expects, shown beside it.
export const FORMATS = {
  int: "an integer, -9223372036854775808 to 9223372036854775807",
  uint: "an integer, 0 to 18446744073709551615",
  float: "a number, e.g. 1.5 or -2e-3",
  bool: "checked is true",
  duration: "a Flux duration, e.g. 1h30m or -5m",
  time: "RFC 3339, e.g. 2026-11-26T10:00:00Z, or a date 2026-11-26",
  string: "text",
  any: "text (sent as a string)",
};

function fail(message) {
  return { ok: false, message };
}

function quote(text) {
  return JSON.stringify(text);
}

function describeNumberText(text) {
  if (JSON_INTEGER.test(text)) return "an integer";
  if (JSON_NUMBER.test(text)) return "a number with a fraction or exponent";
  return null;
}

function checkInteger(type, raw) {
  const text = raw.replace(JSON_SPACE, "");
  if (text === "") return fail(`required: ${FORMATS[type]}`);
  const kind = describeNumberText(text);
  if (kind === null) return fail(`expected ${type}, got ${quote(raw)}: write a number such as 42`);
  if (kind !== "an integer") return fail(`expected ${type}, got ${kind}`);
  const value = BigInt(text);
  if (type === "int" && (value < INT_MIN || value > INT_MAX)) {
    return fail(`${value} is out of the int range`);
  }
  if (type === "uint" && (value < 0n || value > UINT_MAX)) {
    return fail(`${value} is out of the uint range (0 .. 2^64-1)`);
  }
  return { ok: true, json: text };
}

function checkFloat(raw) {
  const text = raw.replace(JSON_SPACE, "");
  if (text === "") return fail(`required: ${FORMATS.float}`);
  const kind = describeNumberText(text);
  if (kind === null) return fail(`expected float, got ${quote(raw)}: write a number such as 1.5`);
  if (kind === "an integer") {
    // An integer must be exactly a float64 (binding.py: int(float(v)) == v).
    const value = BigInt(text);
    const f = Number(value);
    if (!Number.isFinite(f) || BigInt(f) !== value) {
      return fail(`${value} cannot be represented exactly as a float`);
    }
    return { ok: true, json: text };
  }
  if (!Number.isFinite(Number(text))) return fail(`${text} is out of the float range`);
  return { ok: true, json: text };
}

function checkDuration(raw) {
  const body = raw.startsWith("-") ? raw.slice(1) : raw;
  const example = 'is not a Flux duration literal (e.g. "1h30m", "-5m")';
  if (!DURATION.test(body)) return fail(`${quote(raw)} ${example}`);
  for (const m of body.matchAll(DURATION_PART)) {
    if (BigInt(m[1]) > INT_MAX) return fail(`${quote(raw)} ${example}: value out of range`);
  }
  return { ok: true, json: quote(raw) };
}

function daysInMonth(year, month) {
  if (month === 2) {
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function validDatetime(text) {
  const m = DATETIME.exec(text);
  if (m === null) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) return false;
  if (m[4] === undefined) return true;
  if (m[8] === undefined || m[7] === ".") return false;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 60) return false;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return false;
  return true;
}

function checkTime(raw) {
  if (!validDatetime(raw)) {
    return fail(`${quote(raw)} is not a Flux date-time literal (RFC 3339: ` +
      '"2026-11-26T10:00:00Z", "2026-11-26T10:00:00.5+01:00", or a date "2026-11-26")');
  }
  return { ok: true, json: quote(raw) };
}

function checkText(raw) {
  if (LONE_SURROGATE.test(raw)) return fail("the string is not valid Unicode (lone surrogate)");
  return { ok: true, json: quote(raw) };
}

export function validateParam(type, raw) {
  if (type === "bool") return { ok: true, json: raw === true ? "true" : "false" };
  if (typeof raw !== "string") return fail("expected text");
  switch (type) {
    case "int":
    case "uint":
      return checkInteger(type, raw);
    case "float":
      return checkFloat(raw);
    case "duration":
      return LONE_SURROGATE.test(raw) ? checkText(raw) : checkDuration(raw);
    case "time":
      return checkTime(raw);
    default: // string, any, or a type this page does not know: sent as a string
      return checkText(raw);
  }
}

// The invoke body, {"params": {...}}, from [name, json text] pairs already validated.
export function invokeBody(pairs) {
  const fields = pairs.map(([name, json]) => `${quote(name)}:${json}`);
  return `{"params":{${fields.join(",")}}}`;
}
