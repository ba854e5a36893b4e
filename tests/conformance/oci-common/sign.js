// Signs one request with Oracle's own SDK signer (oci-common's DefaultRequestSigner)
// and prints what it produced, in the same shape as tests/tools/oci_sign:
//   node sign.js KEY_PEM_FILE TENANCY USER FINGERPRINT DATE METHOD URL [BODY_FILE]
// DATE is preset as x-date, the header this SDK signs, so the output is deterministic.
"use strict";
const fs = require("fs");
const common = require("oci-common");

async function main() {
  const [keyFile, tenancy, user, fingerprint, date, method, url, bodyFile] = process.argv.slice(2);
  const key = fs.readFileSync(keyFile, "utf8");
  const provider = new common.SimpleAuthenticationDetailsProvider(tenancy, user, fingerprint, key, null);
  const signer = new common.DefaultRequestSigner(provider);
  const headers = new Headers();
  headers.set("x-date", date);
  const request = { method, uri: url, headers };
  if (bodyFile !== undefined) request.body = fs.readFileSync(bodyFile, "utf8");
  await signer.signHttpRequest(request);
  const out = {};
  for (const [name, value] of headers.entries()) out[name] = value;
  // The signing string, rebuilt from the header list the signer put in Authorization.
  const auth = headers.get("authorization");
  const list = /headers="([^"]*)"/.exec(auth)[1].split(" ");
  const target = new URL(url);
  const lines = list.map((name) =>
    name === "(request-target)"
      ? `(request-target): ${method.toLowerCase()} ${target.pathname}${target.search}`
      : `${name.toLowerCase()}: ${headers.get(name)}`);
  console.log(JSON.stringify({ signing_string: lines.join("\n"), authorization: auth, headers: out }, null, 2));
}

main().catch((e) => { console.error(`sign.js: ${e.stack || e}`); process.exit(1); });
