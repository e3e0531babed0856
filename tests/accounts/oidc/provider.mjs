// A real OpenID Provider (the certified `oidc-provider` package) for the organisation sign-in
// tests. Usage: node provider.mjs CONFIG.json
//
// CONFIG: {"port": 0, "issuer": "http://127.0.0.1:PORT", "clients": [{client_id, client_secret,
// redirect_uris}]}. Nobody types a password here: every authorisation request signs in "the
// current account" at once (no dev interactions, no consent screen), and the tests choose who
// that is by POSTing its claims as JSON to /test/account (sub, email, email_verified,
// given_name, family_name). The process prints "ready" once it listens.
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));

let current = {
  sub: 'anna', email: 'anna@example.nl', email_verified: true,
  given_name: 'Anna', family_name: 'Jansen',
};

const provider = new Provider(config.issuer, {
  clients: config.clients.map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
    ...client,
  })),
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['given_name', 'family_name'] },
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => false },
  cookies: { keys: ['test-only-cookie-key'] },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const claims = { ...current, sub };
    return { accountId: sub, async claims() { return claims; } };
  },
  // Every client may have what it asks for: no consent screen.
  async loadExistingGrant(ctx) {
    const { Grant } = ctx.oidc.provider;
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      const grant = await Grant.find(grantId);
      if (grant) return grant;
    }
    const grant = new Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

provider.use(async (ctx, next) => {
  if (ctx.method === 'POST' && ctx.path === '/test/account') {
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    current = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    ctx.body = { ok: true };
    return;
  }
  const match = ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (ctx.method === 'GET' && match) {
    // Sign the current account in, as if its person had typed their password.
    await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: current.sub } }, {
      mergeWithLastSubmission: false,
    });
    ctx.respond = false;
    return;
  }
  await next();
});

const server = provider.listen(config.port, '127.0.0.1', () => {
  process.stdout.write('ready\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
