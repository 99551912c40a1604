// A real OpenID Connect provider for the tests (the `oidc-provider` package), on loopback.
//
//   node tests/support/oidc_server.mjs CONFIG.json
//
// CONFIG: {"port": 0, "clients": [{client_id, client_secret}], "redirect_prefixes": ["http://testserver/"],
//          "users": [{"login", "email", "email_verified", "name", "mfa", "disabled", "tamper"}]}
// Prints "ready <issuer>" once it listens. Each user's subject (`sub`) is their login.
//
// Test switches a real provider can also produce:
//   mfa: true        the ID token's amr says multi-factor was used (["pwd", "mfa"]), otherwise ["pwd"]
//   disabled: true   the provider refuses the person (error=access_denied), as Entra ID does for a leaver
//   tamper: {...}    the ID token is re-signed with the provider's own key after these changes:
//                    {"aud": "x"}, {"nonce": "x"}, {"expired": true} (issued and expired in the past)
import fs from "node:fs";
import http from "node:http";

import { SignJWT, decodeJwt, exportJWK, generateKeyPair, importJWK } from "jose";
import Provider from "oidc-provider";

const config = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const users = new Map(config.users.map((user) => [user.login, user]));

const { privateKey } = await generateKeyPair("RS256", { extractable: true });
const signingKey = { ...(await exportJWK(privateKey)), kid: "test-key", alg: "RS256", use: "sig" };

const server = http.createServer();
await new Promise((resolve) => server.listen(config.port || 0, "127.0.0.1", resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: config.clients.map((client) => ({
    client_id: client.client_id,
    client_secret: client.client_secret,
    redirect_uris: ["http://testserver/unused/"],
    token_endpoint_auth_method: "client_secret_post",
  })),
  jwks: { keys: [signingKey] },
  claims: { openid: ["sub", "amr", "acr"], email: ["email", "email_verified"], profile: ["name"] },
  conformIdTokenClaims: false, // e-mail claims in the ID token, as Entra ID and Google put them
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => false },
  cookies: { keys: ["test-provider-cookie-key"] },
  async findAccount(ctx, id) {
    const user = users.get(id);
    if (!user) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: user.email, email_verified: user.email_verified !== false, name: user.name || id };
      },
    };
  },
  async loadExistingGrant(ctx) {
    // Consent is the agency's business, given once by its IT team: every sign-in gets the scopes it asks for.
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope(ctx.oidc.params.scope || "openid");
    await grant.save();
    return grant;
  },
});

// The portal's callback address depends on where the test serves it (Django's test client or a live server).
const prefixes = config.redirect_prefixes || [];
provider.Client.prototype.redirectUriAllowed = function allowed(uri) {
  return prefixes.some((prefix) => uri.startsWith(prefix));
};

// The tamper switches: change the ID token on its way out of the token endpoint, signed with the real key.
const key = await importJWK(signingKey, "RS256");
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== "/token" || !ctx.body || !ctx.body.id_token) return;
  const claims = decodeJwt(ctx.body.id_token);
  const tamper = (users.get(claims.sub) || {}).tamper;
  if (!tamper) return;
  if (tamper.aud) claims.aud = tamper.aud;
  if (tamper.nonce) claims.nonce = tamper.nonce;
  if (tamper.expired) {
    claims.iat -= 7200;
    claims.exp = claims.iat + 3600;
  }
  ctx.body.id_token = await new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "test-key" }).sign(key);
});

function page(res, body, status = 200) {
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8" });
  res.end(`<!doctype html><html lang="en"><head><title>Test identity provider</title></head><body>${body}</body></html>`);
}

const escape = (text) => String(text).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function loginForm(uid, error) {
  return `<h1>Test identity provider</h1>${error ? `<p role="alert">${escape(error)}</p>` : ""}
<form method="post" action="/interaction/${escape(uid)}">
<label for="login">Account</label> <input id="login" name="login" autofocus>
<button type="submit">Sign in to the provider</button></form>`;
}

async function readForm(req) {
  let body = "";
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

const callback = provider.callback();
server.on("request", async (req, res) => {
  const match = req.url.match(/^\/interaction\/([^/?]+)/);
  if (!match) return callback(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    if (req.method === "GET") return page(res, loginForm(details.uid));
    const login = ((await readForm(req)).get("login") || "").trim();
    const user = users.get(login);
    if (!user) return page(res, loginForm(details.uid, "No such account."), 400);
    if (user.disabled) {
      return provider.interactionFinished(req, res, {
        error: "access_denied",
        error_description: "The account is disabled.",
      });
    }
    const amr = user.mfa ? ["pwd", "mfa"] : ["pwd"];
    return provider.interactionFinished(req, res, { login: { accountId: login, amr } }, { mergeWithLastSubmission: false });
  } catch (error) {
    return page(res, `<p>${escape(error.message)}</p>`, 400);
  }
});

process.stdout.write(`ready ${issuer}\n`);
