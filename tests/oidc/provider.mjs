// A real, certified OpenID provider (the npm package oidc-provider) for the staff sign-in tests.
// Started by tests/oidc/conftest.py on 127.0.0.1; settings come from the environment.
// Dev interactions are on: its own login page takes any account id listed in OIDC_ACCOUNTS.
// It issues refresh tokens (without asking for offline_access), access tokens last
// OIDC_ACCESS_TOKEN_TTL seconds (an hour unless set; OIDC_CLOCK_TOLERANCE forgives 15 s), and POST /test/disable?account=ID
// disables an account here, at the provider only, as a council administrator would.
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS || "{}");

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "voice",
      client_secret: "voice-test-client-secret",
      redirect_uris: [process.env.OIDC_REDIRECT_URI],
      post_logout_redirect_uris: [process.env.OIDC_POST_LOGOUT_URI],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
  scopes: ["openid", "email", "profile", "groups"],
  conformIdTokenClaims: false, // put the scopes' claims in the ID token itself
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ["voice-test-cookie-key"] },
  ttl: { AccessToken: Number(process.env.OIDC_ACCESS_TOKEN_TTL || 3600) },
  clockTolerance: Number(process.env.OIDC_CLOCK_TOLERANCE || 15), // seconds it forgives an expiry
  async issueRefreshToken(ctx, client) {
    return client.grantTypeAllowed("refresh_token");
  },
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: account.email, email_verified: true, name: account.name, groups: account.groups };
      },
    };
  },
});

provider.use(async (ctx, next) => {
  if (ctx.method === "POST" && ctx.path === "/test/disable") {
    delete accounts[ctx.query.account];
    ctx.status = 204;
    return;
  }
  await next();
});

const server = provider.listen(port, "127.0.0.1", () => console.log(`oidc-provider listening on ${issuer}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
