// Sends one request signed by oci-common to a server and prints "<status> <body>":
//   node send.js KEY_PEM_FILE TENANCY USER FINGERPRINT CA_FILE METHOD URL [BODY] [--tamper]
// --tamper changes the body after signing (the server must refuse it).
"use strict";
const fs = require("fs");
const https = require("https");
const common = require("oci-common");

async function main() {
  const args = process.argv.slice(2);
  const tamper = args.includes("--tamper");
  const [keyFile, tenancy, user, fingerprint, caFile, method, url, body] = args.filter((a) => a !== "--tamper");
  const provider = new common.SimpleAuthenticationDetailsProvider(
    tenancy, user, fingerprint, fs.readFileSync(keyFile, "utf8"), null);
  const signer = new common.DefaultRequestSigner(provider);
  const headers = new Headers();
  const request = { method, uri: url, headers };
  if (body !== undefined) request.body = body;
  await signer.signHttpRequest(request);
  const sent = tamper ? body.replace(/.$/, " ") : body;
  const target = new URL(url);
  const options = {
    method, host: target.hostname, port: target.port, path: target.pathname + target.search,
    ca: fs.readFileSync(caFile), headers: Object.fromEntries(headers.entries()),
  };
  const status = await new Promise((resolve, reject) => {
    const req = https.request(options, (res) => {
      let data = "";
      res.on("data", (c) => { data += c; });
      res.on("end", () => resolve(`${res.statusCode} ${data}`));
    });
    req.on("error", reject);
    if (sent !== undefined) req.write(sent);
    req.end();
  });
  console.log(status);
}

main().catch((e) => { console.error(`send.js: ${e.stack || e}`); process.exit(1); });
