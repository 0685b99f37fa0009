// Every notification the mock sends, as `multihook sample` prints it, given to a maintained
// WhatsApp Cloud API consumer library (whatsapp-api-js, pinned in package.json):
//  1. its webhook handler `WhatsAppAPI.post(data, raw_body, signature)` verifies the signature
//     (the mock's x-360dialog-signature is the same HMAC-SHA256 the library checks) and hands the
//     message or status to the app's callback with the right phone number id, sender and type;
//     a wrong signature is refused;
//  2. `tsc --strict` accepts each body as a literal of the library's declared webhook type
//     `PostData` (excess fields are errors too), up to the deviations listed in DEVIATIONS.
//
//   node check.mjs PATH/TO/multihook
// Exit codes: 0 all accepted, 1 any refused, 77 skipped (what is missing is printed).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const skip = (why) => {
  console.log(`SKIP: ${why}`);
  process.exit(77);
};
if (!existsSync(join(here, "node_modules", "whatsapp-api-js")) ||
    !existsSync(join(here, "node_modules", "typescript"))) {
  skip("tests/consumer/node_modules is absent: run tests/consumer/install.sh (npm ci)");
}
const multihook = process.argv[2];
if (!multihook || !existsSync(multihook)) skip(`no multihook binary at '${multihook}'`);

const { WhatsAppAPI } = await import("whatsapp-api-js");
const { WhatsAppAPIFailedToVerifyError } = await import("whatsapp-api-js/errors");
const secret = "consumer-check secret";
const failures = [];
const fail = (type, what) => failures.push(`${type}: ${what}`);

// --- the samples --------------------------------------------------------------------------------
const help = execFileSync(multihook, ["sample", "--help"], { encoding: "utf8" });
const types = help.slice(help.indexOf("\nTypes:\n") + 8).split("\n").map((t) => t.trim())
    .filter(Boolean);
if (types.length < 18) {
  console.log(`FAIL: multihook sample --help lists ${types.length} types`);
  process.exit(1);
}
const samples = types.map((type) => {
  const printed = execFileSync(multihook, ["sample", type, "--secret", secret],
                               { encoding: "utf8" });
  const blank = printed.indexOf("\n\n");
  const headers = Object.fromEntries(printed.slice(0, blank).split("\n").map((line) => {
    const colon = line.indexOf(": ");
    return [line.slice(0, colon).toLowerCase(), line.slice(colon + 2)];
  }));
  return { type, headers, raw: printed.slice(blank + 2, -1) };
});

// --- 1. the library's webhook handler -----------------------------------------------------------
const seen = [];
// Node 18 (Debian 12's) has WebCrypto only as node:crypto's webcrypto, not as a global.
const { webcrypto } = await import("node:crypto");
const api = new WhatsAppAPI({ token: "unused", appSecret: secret, v: "v23.0",
                              ponyfill: { subtle: webcrypto.subtle } });
api.on.message = (args) => seen.push({ kind: "message", args });
api.on.status = (args) => seen.push({ kind: "status", args });
for (const { type, headers, raw } of samples) {
  const data = JSON.parse(raw);
  const value = data.entry[0].changes[0].value;
  const signature = `sha256=${headers["x-360dialog-signature"]}`;
  seen.length = 0;
  try {
    await api.post(data, raw, signature);
  } catch (error) {
    // The library has no callback for out-of-band errors: it throws "Unexpected payload" (200)
    // once the signature has verified, which is as far as it parses them.
    if (!(type === "error" && error.message.startsWith("Unexpected payload"))) {
      fail(type, `post() threw ${error.name}: ${error.message}`);
      continue;
    }
  }
  if (type === "error") {
    if (seen.length !== 0) fail(type, "an out-of-band error reached a message/status callback");
    continue;
  }
  const expected = type.startsWith("status:") ? "status" : "message";
  if (seen.length !== 1 || seen[0].kind !== expected) {
    fail(type, `expected one ${expected} callback, got ${JSON.stringify(seen.map((s) => s.kind))}`);
    continue;
  }
  const { args } = seen[0];
  if (args.phoneID !== value.metadata.phone_number_id) fail(type, `phoneID ${args.phoneID}`);
  if (expected === "message") {
    if (args.from !== value.contacts[0].wa_id) fail(type, `from ${args.from}`);
    if (args.name !== value.contacts[0].profile.name) fail(type, `name ${args.name}`);
    if (args.message.type !== type.split(":")[0]) fail(type, `type ${args.message.type}`);
  } else {
    if (args.status !== type.slice("status:".length)) fail(type, `status ${args.status}`);
    if (args.id !== value.statuses[0].id) fail(type, `id ${args.id}`);
    if (args.phone !== value.statuses[0].recipient_id) fail(type, `phone ${args.phone}`);
  }
}
// A wrong signature must be refused, or the checks above prove nothing about signing.
try {
  const { raw } = samples[0];
  await api.post(JSON.parse(raw), raw, `sha256=${"0".repeat(64)}`);
  fail("signature", "post() accepted a wrong signature");
} catch (error) {
  if (!(error instanceof WhatsAppAPIFailedToVerifyError)) {
    fail("signature", `threw ${error.name}: ${error.message}`);
  }
}

// --- 2. the library's declared types ------------------------------------------------------------
// Where the library's declarations and the Cloud API payload reference disagree, the reference
// wins and the deviation is named here (each widens the library's type for one field only):
// - location latitude/longitude: the reference sends JSON numbers; the library declares strings.
// - value.errors (out-of-band errors): documented by the reference; PostData has no such branch.
// - a failed status: the library requires keys `conversation` and `pricing` to be present with
//   the value `undefined`, which JSON cannot express; the reference omits them.
// - from_user_id / contacts[].user_id (business-scoped user ids) and image.static_url: required
//   by the library, not yet in the payloads the provider forwards; the mock omits them.
const DEVIATIONS = `
type Widen<T, K extends PropertyKey, V> = Omit<T, K> & { [P in K]: V };
type Message = ServerMessage extends infer M ? M extends { type: "location" }
    ? Omit<M, "location" | "from_user_id"> & {
        location: Widen<Extract<ServerMessage, { type: "location" }>["location"],
                        "latitude" | "longitude", number> }
    : M extends { type: "image" }
      ? Omit<M, "image" | "from_user_id"> & {
          image: Omit<Extract<ServerMessage, { type: "image" }>["image"], "static_url"> }
      : Omit<M, "from_user_id"> : never;
type Contact = Omit<ServerContacts, "user_id">;
type FailedStatus = Omit<ServerStatusPayload, "conversation" | "pricing" | "errors"> & {
  errors: [ServerError] };
type Status = ServerStatusPayload | FailedStatus;
type Value = PostData["entry"][number]["changes"][number]["value"];
type Notification = Omit<PostData, "entry"> & { entry: {
  id: string;
  changes: {
    field: "messages";
    value: Pick<Value, "messaging_product" | "metadata"> & (
      { contacts: [Contact]; messages: [Message] } |
      { statuses: [Status] } |
      { errors: [ServerError] });
  }[];
}[] };
`;
const work = mkdtempSync(join(tmpdir(), "consumer-check-"));
try {
  symlinkSync(join(here, "node_modules"), join(work, "node_modules"), "dir");
  let source = `import type { PostData, ServerContacts, ServerError, ServerMessage,
    ServerStatusPayload } from "whatsapp-api-js/types";
${DEVIATIONS}
// Controls: the type must refuse a broken payload (a missing field, an unknown field), or the
// checks below would prove nothing. tsc fails on an @ts-expect-error that has no error.
const text = ${samples.find((s) => s.type === "text").raw};
const message = text.entry[0].changes[0].value.messages[0];
const value = text.entry[0].changes[0].value;
// @ts-expect-error text.body is required
export const missing: Notification = { ...text, entry: [{ ...text.entry[0], changes: [{ field: "messages", value: { ...value, messages: [{ ...message, text: {} }] } }] }] };
// @ts-expect-error no such field in a text message
export const unknown: Notification = { ...text, entry: [{ ...text.entry[0], changes: [{ field: "messages", value: { ...value, messages: [{ ...message, text: { body: "x", bogus: 1 } }] } }] }] };
`;
  samples.forEach(({ type, raw }, i) => {
    source += `\n// ${type}\nexport const sample${i}: Notification = ${raw};\n`;
  });
  writeFileSync(join(work, "payloads.ts"), source);
  writeFileSync(join(work, "tsconfig.json"), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, target: "es2022", module: "nodenext",
      moduleResolution: "nodenext", skipLibCheck: true, types: [],
    },
    files: ["payloads.ts"],
  }));
  try {
    execFileSync(process.execPath, [join(here, "node_modules", "typescript", "bin", "tsc"), "-p",
                                    work], { encoding: "utf8", stdio: "pipe" });
  } catch (error) {
    fail("tsc", `the library's types refuse the payloads:\n${error.stdout}${error.stderr}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

for (const failure of failures) console.log(`FAIL ${failure}`);
console.log(`${samples.length} notifications given to whatsapp-api-js: ` +
            `${failures.length === 0 ? "all accepted" : `${failures.length} failures`}`);
process.exit(failures.length === 0 ? 0 : 1);
