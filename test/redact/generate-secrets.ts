/**
 * Generators of secret-bearing lines: random key material of each credential's shape (never a vendor's documented
 * example key), placed in the contexts logs, env dumps, configs, command lines and termination messages put them.
 * Deterministic for a seed, so a failure names a line that can be reproduced.
 */

/** One generated line and every substring of it that must not survive redaction. */
export interface SecretLine {
  kind: string;
  line: string;
  secrets: string[];
}

/** mulberry32: a small seeded PRNG, enough to shape test data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;

export const ALPHABETS = {
  A: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  a: 'abcdefghijklmnopqrstuvwxyz',
  d: '0123456789',
  h: '0123456789abcdef',
  H: '0123456789ABCDEF',
  x: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  X: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  l: 'abcdefghijklmnopqrstuvwxyz0123456789',
  u: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  b: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  B: 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L',
  '5': '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz',
} as const;
type Alphabet = keyof typeof ALPHABETS;

/** `n` characters of an alphabet, with at least one of each class it has (random material always mixes them). */
export function pick(rng: Rng, alphabet: Alphabet, n: number): string {
  const chars = ALPHABETS[alphabet];
  for (;;) {
    let s = '';
    for (let i = 0; i < n; i++) s += chars[Math.floor(rng() * chars.length)];
    const classes = [/[A-Z]/, /[a-z]/, /\d/].filter((c) => c.test(chars));
    if (n < 8 || classes.every((c) => c.test(s))) return s;
  }
}

type Part = string | [Alphabet, number];
const build = (rng: Rng, parts: Part[]) =>
  parts.map((p) => (typeof p === 'string' ? p : pick(rng, p[0], p[1]))).join('');

/** Vendor credential shapes as prefix + alphabet runs; each is a kind of its own. */
export const VENDOR_TOKENS: Record<string, (rng: Rng) => string> = Object.fromEntries(
  (
    [
      ['aws-access-key-id', ['AKIA', ['X', 16]]],
      ['aws-temporary-key-id', ['ASIA', ['X', 16]]],
      ['gcp-api-key', ['AIza', ['u', 35]]],
      ['gcp-oauth-token', ['ya29.', ['u', 60]]],
      ['google-refresh-token', ['1//0', ['u', 60]]],
      ['google-client-secret', ['GOCSPX-', ['u', 28]]],
      ['firebase-server-key', ['AAAA', ['u', 7], ':', ['u', 140]]],
      ['slack-bot-token', ['xoxb-', ['d', 12], '-', ['d', 13], '-', ['x', 24]]],
      ['slack-user-token', ['xoxp-', ['d', 12], '-', ['d', 12], '-', ['d', 13], '-', ['h', 32]]],
      ['slack-refresh-token', ['xoxe-1-', ['x', 60]]],
      ['slack-app-token', ['xapp-1-A', ['X', 10], '-', ['d', 13], '-', ['h', 64]]],
      ['github-pat', ['ghp_', ['x', 36]]],
      ['github-oauth', ['gho_', ['x', 36]]],
      ['github-server-token', ['ghs_', ['x', 36]]],
      ['github-fine-grained', ['github_pat_11', ['X', 20], '_', ['x', 59]]],
      ['gitlab-pat', ['glpat-', ['u', 20]]],
      ['gitlab-deploy-token', ['gldt-', ['u', 20]]],
      ['gitlab-runner-token', ['glrt-', ['u', 20]]],
      ['gitlab-runner-registration', ['GR1348941', ['u', 20]]],
      ['stripe-secret', ['sk_live_', ['x', 99]]],
      ['stripe-restricted', ['rk_live_', ['x', 40]]],
      ['stripe-webhook-secret', ['whsec_', ['x', 32]]],
      ['npm-token', ['npm_', ['x', 36]]],
      ['pypi-token', ['pypi-AgEIcHlwaS5vcmc', ['u', 60]]],
      ['sendgrid-key', ['SG.', ['u', 22], '.', ['u', 43]]],
      ['openai-key', ['sk-proj-', ['u', 48], 'T3BlbkFJ', ['u', 48]]],
      ['openai-legacy-key', ['sk-', ['x', 48]]],
      ['anthropic-key', ['sk-ant-api03-', ['u', 93], 'AA']],
      ['age-secret-key', ['AGE-SECRET-KEY-1', ['B', 58]]],
      ['vault-service-token', ['hvs.', ['u', 90]]],
      ['vault-batch-token', ['hvb.', ['u', 120]]],
      ['terraform-cloud-token', [['x', 14], '.atlasv1.', ['u', 67]]],
      ['doppler-token', ['dp.st.', ['x', 43]]],
      ['digitalocean-token', ['dop_v1_', ['h', 64]]],
      ['shopify-token', ['shpat_', ['h', 32]]],
      ['mailgun-key', ['key-', ['h', 32]]],
      ['mailchimp-key', [['h', 32], '-us14']],
      ['twilio-api-key', ['SK', ['h', 32]]],
      ['sentry-org-token', ['sntrys_', ['b', 120]]],
      ['newrelic-user-key', ['NRAK-', ['X', 27]]],
      ['heroku-token', ['HRKU-', ['u', 60]]],
      ['linear-key', ['lin_api_', ['x', 40]]],
      ['notion-token', ['ntn_', ['d', 11], ['x', 35]]],
      ['atlassian-token', ['ATATT3', ['u', 186]]],
      ['azure-ad-client-secret', [['x', 3], '8Q~', ['u', 34]]],
      ['databricks-token', ['dapi', ['h', 32]]],
      ['dynatrace-token', ['dt0c01.', ['X', 24], '.', ['X', 64]]],
      ['grafana-cloud-token', ['glc_', ['b', 80]]],
      ['grafana-service-account', ['glsa_', ['x', 32], '_', ['h', 8]]],
      ['huggingface-token', ['hf_', ['A', 17], ['a', 17]]],
      ['replicate-token', ['r8_', ['x', 37]]],
      ['postman-key', ['PMAK-', ['h', 24], '-', ['h', 34]]],
      ['pulumi-token', ['pul-', ['h', 40]]],
      ['planetscale-token', ['pscale_tkn_', ['u', 43]]],
      ['prefect-key', ['pnu_', ['x', 36]]],
      ['rubygems-key', ['rubygems_', ['h', 48]]],
      ['nuget-key', ['oy2', ['l', 43]]],
      ['docker-hub-token', ['dckr_pat_', ['u', 27]]],
      ['telegram-bot-token', [['d', 10], ':AA', ['u', 33]]],
      ['discord-bot-token', ['M', ['x', 25], '.', ['u', 6], '.', ['u', 38]]],
      ['meta-access-token', ['EAA', ['x', 150]]],
      ['square-access-token', ['sq0atp-', ['u', 22]]],
      ['square-oauth-secret', ['sq0csp-', ['u', 43]]],
      ['braintree-token', ['access_token$production$', ['l', 16], '$', ['h', 32]]],
      ['shippo-token', ['shippo_live_', ['h', 40]]],
      ['flutterwave-key', ['FLWSECK_TEST-', ['h', 32], '-X']],
      ['adafruit-key', ['aio_', ['x', 28]]],
      ['alibaba-access-key', ['LTAI', ['x', 20]]],
      ['tencent-secret-id', ['AKID', ['x', 32]]],
      ['cloudflare-origin-ca-key', ['v1.0-', ['h', 24], '-', ['h', 146]]],
      ['contentful-token', ['CFPAT-', ['u', 43]]],
      ['clojars-token', ['CLOJARS_', ['l', 60]]],
      ['easypost-key', ['EZAK', ['x', 54]]],
      ['frameio-token', ['fio-u-', ['u', 64]]],
      ['typeform-token', ['tfp_', ['u', 59]]],
      ['yandex-api-key', ['AQVN', ['u', 36]]],
      ['octopus-key', ['API-', ['X', 26]]],
      ['onepassword-secret-key', ['A3-', ['X', 6], '-', ['X', 11], '-', ['X', 5], '-', ['X', 5], '-', ['X', 5]]],
      ['airtable-token', ['pat', ['x', 14], '.', ['h', 64]]],
      ['bitbucket-token', ['ATBB', ['x', 32]]],
      ['flyio-token', ['fo1_', ['u', 43]]],
      ['netlify-token', ['nfp_', ['x', 36]]],
      ['readme-key', ['rdme_', ['l', 70]]],
      ['brevo-key', ['xkeysib-', ['h', 64], '-', ['x', 16]]],
      ['tailscale-key', ['tskey-auth-', ['x', 12], 'CNTRL-', ['x', 33]]],
      ['groq-key', ['gsk_', ['x', 52]]],
      ['perplexity-key', ['pplx-', ['x', 48]]],
      ['xai-key', ['xai-', ['x', 80]]],
      ['langsmith-key', ['lsv2_pt_', ['h', 32], '_', ['h', 10]]],
      ['pinecone-key', ['pcsk_', ['x', 60]]],
      ['supabase-token', ['sbp_', ['h', 40]]],
      ['render-key', ['rnd_', ['x', 32]]],
      ['circleci-token', ['CCIPAT_', ['x', 22], '_', ['h', 40]]],
      ['buildkite-token', ['bkua_', ['h', 40]]],
      ['jfrog-token', ['AKCp', ['x', 69]]],
      ['sonarqube-token', ['squ_', ['h', 40]]],
      ['ngrok-token', ['2', ['x', 26], '_', ['x', 21]]],
      ['hubspot-token', ['pat-na1-', ['h', 8], '-', ['h', 4], '-', ['h', 4], '-', ['h', 4], '-', ['h', 12]]],
      ['duffel-token', ['duffel_live_', ['u', 43]]],
      ['figma-token', ['figd_', ['u', 40]]],
      ['kubeadm-bootstrap-token', [['l', 6], '.', ['l', 16]]],
      ['mapbox-secret-token', ['sk.eyJ', ['u', 60], '.', ['u', 22]]],
    ] as [string, Part[]][]
  ).map(([name, parts]) => [name, (rng: Rng) => build(rng, parts)]),
);

const word = (rng: Rng) => ['api', 'worker', 'billing', 'auth', 'ingest', 'web'][Math.floor(rng() * 6)]!;
/** A chosen password: letters, digits and a symbol or two, as people and generators make them. */
export const password = (rng: Rng) => `${pick(rng, 'x', 10)}${'!#%^*+~'[Math.floor(rng() * 7)]}${pick(rng, 'x', 4)}`;
const b64 = (s: string) => Buffer.from(s).toString('base64');
const lines64 = (s: string, width: number) => s.match(new RegExp(`.{1,${width}}`, 'g'))!.join('\n');

/** A fake private key body of `n` bytes of random DER-like material, base64. */
function keyBody(rng: Rng, bytes: number): string {
  const raw = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) raw[i] = Math.floor(rng() * 256);
  raw[0] = 0x30;
  raw[1] = 0x82;
  return raw.toString('base64');
}

/** Contexts that carry an opaque vendor token with no telling key name. */
const VENDOR_CONTEXTS: ((t: string, rng: Rng) => string)[] = [
  (t) => `level=info msg="client configured" credential ${t} loaded`,
  (t, rng) => `{"ts":"2026-01-0${1 + Math.floor(rng() * 8)}T10:00:00Z","upstream":"${word(rng)}","data":"${t}"}`,
  (t) => `client = Client(("api", "${t}"))`,
];

/** Secrets announced by their context: key names, flags, URLs, headers, blocks and encodings. */
export const CONTEXT_KINDS: Record<string, (rng: Rng) => SecretLine | Omit<SecretLine, 'kind'>> = {
  'env-upper-snake': (r) => one(`DB_PASSWORD=${(p = password(r))}`, p),
  'logfmt-password': (r) => one(`level=error msg="login failed" user=bob password=${(p = password(r))} attempt=2`, p),
  'yaml-password': (r) => one(`  password: ${(p = password(r))}`, p),
  'json-password': (r) => one(`{"user":"svc","password":"${(p = password(r))}","retries":3}`, p),
  'json-escaped-once': (r) => one(`{"msg":"config","body":"{\\"client_secret\\":\\"${(p = password(r))}\\"}"}`, p),
  'json-escaped-twice': (r) =>
    one(`{"log":"{\\"msg\\":\\"{\\\\\\"api_token\\\\\\":\\\\\\"${(p = password(r))}\\\\\\"}\\"}"}`, p),
  'json-escaped-thrice': (r) =>
    one(`args: ["--config={\\\\\\"auth\\\\\\":{\\\\\\"token\\\\\\":\\\\\\"${(p = password(r))}\\\\\\"}}"]`, p),
  'single-quoted': (r) => one(`SECRET_KEY_BASE='${(p = pick(r, 'h', 64))}'`, p),
  'go-assignment': (r) => one(`dbPassword := "${(p = password(r))}"`, p),
  'ruby-hash-rocket': (r) => one(`:password => "${(p = password(r))}",`, p),
  'ini-spaces': (r) => one(`aws_secret_access_key = ${(p = pick(r, 'b', 40))}`, p),
  'spaced-unseal-key': (r) => one(`Unseal Key ${1 + Math.floor(r() * 5)}: ${(p = pick(r, 'b', 44))}`, p),
  'spaced-root-token': (r) => one(`Initial Root Token: hvs.${(p = pick(r, 'x', 24))}`, p),
  'spaced-api-key': (r) => one(`Your API Key: ${(p = pick(r, 'h', 32))}`, p),
  'datadog-app-key': (r) => one(`DD_APP_KEY=${(p = pick(r, 'h', 40))}`, p),
  'datadog-api-key': (r) => one(`DD_API_KEY=${(p = pick(r, 'h', 32))}`, p),
  'query-appid': (r) => one(`GET /data/2.5/weather?q=Berlin&appid=${(p = pick(r, 'h', 32))}&units=metric`, p),
  'ansi-between-key-and-value': (r) =>
    one(`\x1b[33mDB_PASSWORD\x1b[0m\x1b[2m=\x1b[0m${(p = password(r))} \x1b[32mok\x1b[0m`, p),
  'ansi-before-equals': (r) => one(`\x1b[1mapi_key\x1b[22m = "${(p = pick(r, 'x', 32))}"`, p),
  'cyrillic-key-typographic-quotes': (r) => one(`пароль/password: “${(p = password(r))}”`, p),
  'chinese-key-fullwidth-colon': (r) => one(`数据库密码：${(p = password(r))}`, p),
  'german-key': (r) => one(`Passwort=${(p = password(r))}`, p),
  'fullwidth-equals': (r) => one(`db.password＝${(p = password(r))}`, p),
  guillemets: (r) => one(`mot de passe / password : «${(p = password(r))}»`, p),
  'nested-value-object': (r) =>
    one(`"spring.datasource.password": {"value": "${(p = password(r))}", "origin": "env"}`, p),
  'name-value-pair-json': (r) => one(`{"name":"DB_PASSWORD","value":"${(p = password(r))}"}`, p),
  'name-value-pair-yaml': (r) => one(`        - name: STRIPE_SECRET\n          value: ${(p = password(r))}`, p),
  'dotnet-add-key-value': (r) => one(`<add key="SmtpPassword" value="${(p = password(r))}" />`, p),
  'xml-element': (r) => one(`<password>${(p = password(r))}</password>`, p),
  'php-define': (r) => one(`define('DB_PASSWORD', '${(p = password(r))}');`, p),
  'python-environ-subscript': (r) => one(`os.environ["API_TOKEN"] = "${(p = pick(r, 'x', 32))}"`, p),
  'sql-identified-by': (r) => one(`CREATE USER app IDENTIFIED BY '${(p = password(r))}';`, p),
  'sql-with-password': (r) => one(`ALTER ROLE app WITH LOGIN PASSWORD '${(p = password(r))}';`, p),
  netrc: (r) => one(`machine api.example.com login deploy password ${(p = password(r))}`, p),
  'postgres-url': (r) => one(`DATABASE_URL=postgres://app:${(p = password(r))}@db.prod:5432/app?sslmode=require`, p),
  'mysql-url': (r) => one(`mysql://root:${(p = password(r))}@mysql:3306/shop`, p),
  'redis-url-no-user': (r) => one(`REDIS_URL=redis://:${(p = password(r))}@redis-master:6379/0`, p),
  'amqp-url': (r) => one(`amqp://rabbit:${(p = password(r))}@rabbitmq:5672/vhost connection refused`, p),
  'mongodb-srv-url': (r) =>
    one(`connecting to mongodb+srv://admin:${(p = password(r))}@cluster0.ab1cd.mongodb.net/db`, p),
  'url-user-token': (r) => one(`git clone https://${(p = pick(r, 'x', 40))}@git.example.com/org/repo.git`, p),
  'slack-webhook-path': (r) =>
    one(`POST https://hooks.slack.com/services/T${pick(r, 'X', 8)}/B${pick(r, 'X', 8)}/${(p = pick(r, 'x', 24))}`, p),
  'discord-webhook-path': (r) =>
    two(`https://discord.com/api/webhooks/${(p = pick(r, 'd', 18))}/${(q = pick(r, 'u', 68))}`, p, q),
  'teams-webhook-path': (r) =>
    one(
      `https://acme.webhook.office.com/webhookb2/${pick(r, 'h', 8)}-aaaa-bbbb-cccc-${pick(r, 'h', 12)}@${pick(r, 'h', 8)}/IncomingWebhook/${(p = pick(r, 'h', 32))}/${pick(r, 'h', 8)}`,
      p,
    ),
  'generic-hooks-path': (r) =>
    one(`https://hooks.zapier.com/hooks/catch/${pick(r, 'd', 7)}/${(p = pick(r, 'l', 7))}9/`, p),
  'telegram-bot-path': (r) =>
    one(`POST https://api.telegram.org/bot${pick(r, 'd', 10)}:${(p = pick(r, 'u', 35))}/sendMessage 200`, p),
  'query-access-token': (r) => one(`GET /api/v1/me?access_token=${(p = pick(r, 'x', 40))}&fields=id`, p),
  'query-api-key': (r) => one(`https://api.example.com/v2/items?page=3&api_key=${(p = pick(r, 'x', 32))}`, p),
  'query-amz-signature': (r) =>
    one(`GET /bucket/obj?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=${(p = pick(r, 'h', 64))}`, p),
  'query-azure-sas': (r) =>
    one(`PUT https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sp=rw&sig=${(p = pick(r, 'b', 43))}%3D`, p),
  'docker-login-short-p': (r) => one(`+ docker login -u ci -p ${(p = password(r))} registry.example.com`, p),
  'mysql-attached-p': (r) => one(`mysql -h db -uroot -p${(p = password(r))} shop < dump.sql`, p),
  'sshpass-p': (r) => one(`sshpass -p '${(p = password(r))}' ssh deploy@10.0.0.4`, p),
  'redis-cli-a': (r) => one(`redis-cli -h redis -a ${(p = password(r))} PING`, p),
  'sqlcmd-capital-p': (r) => one(`sqlcmd -S db -U sa -P ${(p = password(r))} -Q "SELECT 1"`, p),
  'curl-user-colon': (r) => one(`curl -u admin:${(p = password(r))} https://jenkins/api/json`, p),
  'long-flag-space': (r) => one(`exec: mysqldump --user root --password ${(p = password(r))} shop`, p),
  'single-dash-long-flag': (r) => one(`java -jar app.jar -keystorePassword ${(p = password(r))}`, p),
  'long-flag-equals': (r) => one(`vault login --token=hvs.${(p = pick(r, 'x', 24))}`, p),
  'auth-bearer': (r) => one(`> Authorization: Bearer ${(p = pick(r, 'u', 40))}`, p),
  'auth-basic': (r) => one(`headers={"Authorization": "Basic ${(p = b64(`admin:${password(r)}`))}"}`, p),
  'auth-ssws': (r) => one(`-H "Authorization: SSWS 00${(p = pick(r, 'u', 40))}"`, p),
  'auth-token-scheme': (r) => one(`authorization: token ${(p = pick(r, 'h', 40))}`, p),
  'auth-geniekey': (r) =>
    one(`Authorization: GenieKey ${(p = `${pick(r, 'h', 8)}-${pick(r, 'h', 4)}-${pick(r, 'h', 12)}`)}`, p),
  'auth-custom-scheme': (r) => one(`Authorization: Klaviyo-API-Key pk_${(p = pick(r, 'h', 34))}`, p),
  'proxy-authorization': (r) => one(`Proxy-Authorization: Basic ${(p = b64(`u:${password(r)}`))}`, p),
  'x-api-key-header': (r) => one(`x-api-key: ${(p = pick(r, 'h', 32))}`, p),
  'private-token-header': (r) => one(`PRIVATE-TOKEN: ${(p = pick(r, 'x', 26))}`, p),
  'vault-token-header': (r) => one(`X-Vault-Token: ${(p = pick(r, 'x', 28))}`, p),
  'cookie-header': (r) => one(`Cookie: sessionid=${(p = pick(r, 'l', 32))}; theme=dark`, p),
  'set-cookie-header': (r) => one(`Set-Cookie: JSESSIONID=${(p = pick(r, 'H', 32))}; Path=/; HttpOnly`, p),
  'ado-connection-string': (r) =>
    one(`Server=tcp:sql.db.windows.net,1433;Database=shop;User ID=sa;Password=${(p = password(r))};Encrypt=True`, p),
  'odbc-connection-string': (r) => one(`DRIVER={ODBC};SERVER=db;UID=app;PWD=${(p = password(r))};`, p),
  'azure-storage-connection-string': (r) =>
    one(
      `DefaultEndpointsProtocol=https;AccountName=logs;AccountKey=${(p = pick(r, 'b', 86))}==;EndpointSuffix=core.windows.net`,
      p,
    ),
  'servicebus-connection-string': (r) =>
    one(
      `Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=${(p = pick(r, 'b', 43))}=`,
      p,
    ),
  'pem-rsa-whole': (r) => pem(r, 'RSA PRIVATE KEY', 64),
  'pem-ec-whole': (r) => pem(r, 'EC PRIVATE KEY', 64),
  'pem-pkcs8-whole': (r) => pem(r, 'PRIVATE KEY', 64),
  'pem-encrypted-whole': (r) => pem(r, 'ENCRYPTED PRIVATE KEY', 64),
  'pem-dsa-whole': (r) => pem(r, 'DSA PRIVATE KEY', 64),
  'openssh-whole': (r) => pem(r, 'OPENSSH PRIVATE KEY', 70),
  'pgp-whole': (r) => {
    const body = keyBody(r, 600);
    const line = `-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\n${lines64(body, 64)}\n=${pick(r, 'x', 4)}\n-----END PGP PRIVATE KEY BLOCK-----`;
    return { line, secrets: bodySecrets(body, 64) };
  },
  'pem-json-escaped': (r) => {
    const body = keyBody(r, 600);
    const esc = lines64(body, 64).replace(/\n/g, '\\n');
    return {
      line: `{"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----\\n${esc}\\n-----END PRIVATE KEY-----\\n","client_email":"x@p.iam.gserviceaccount.com"}`,
      secrets: bodySecrets(body, 64),
    };
  },
  'pem-cut-no-end': (r) => {
    const body = keyBody(r, 900);
    return {
      line: `loading key\n-----BEGIN RSA PRIVATE KEY-----\n${lines64(body, 64).split('\n').slice(0, 6).join('\n')}`,
      secrets: bodySecrets(body, 64).slice(0, 6),
    };
  },
  'pem-cut-no-begin': (r) => {
    const body = keyBody(r, 900);
    const ls = lines64(body, 64).split('\n');
    return {
      line: `${ls.slice(4).join('\n')}\n-----END RSA PRIVATE KEY-----\nkey loaded`,
      secrets: ls.slice(4).filter((l) => l.length >= 16),
    };
  },
  'pem-cut-no-begin-escaped': (r) => {
    const body = keyBody(r, 900);
    const ls = lines64(body, 64).split('\n');
    return {
      line: `${ls.slice(3).join('\\n')}\\n-----END PRIVATE KEY-----\\n"}`,
      secrets: ls.slice(3).filter((l) => l.length >= 16),
    };
  },
  'openssh-cut-both-ends': (r) => {
    const body = keyBody(r, 1200);
    const ls = lines64(body, 70).split('\n');
    return { line: `${ls.slice(2, 9).join('\n')}`, secrets: ls.slice(2, 9) };
  },
  'putty-private-lines': (r) => {
    const body = keyBody(r, 400);
    const ls = lines64(body, 64).split('\n');
    return {
      line: `PuTTY-User-Key-File-3: ssh-rsa\nPrivate-Lines: ${ls.length}\n${ls.join('\n')}\nPrivate-MAC: ${pick(r, 'h', 64)}`,
      secrets: ls.filter((l) => l.length >= 16),
    };
  },
  'base64-tls-key': (r) => {
    const pemText = `-----BEGIN RSA PRIVATE KEY-----\n${lines64(keyBody(r, 300), 64)}\n-----END RSA PRIVATE KEY-----\n`;
    return one(`  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUI=\n  tls.key: ${(p = b64(pemText))}`, p);
  },
  'base64-dockerconfigjson': (r) => {
    const auth = b64(`ci:${password(r)}`);
    return one(`{"data":{".dockerconfigjson":"${(p = b64(`{"auths":{"ghcr.io":{"auth":"${auth}"}}}`))}"}}`, p);
  },
  'base64-env-file': (r) =>
    one(`decoded config blob ${(p = b64(`PORT=8080\nDB_PASSWORD=${password(r)}\nDEBUG=false\n`))}`, p),
  'kubernetes-secret-data': (r) => one(`data:\n  DB_PASSWORD: ${(p = b64(password(r)))}\n  DB_USER: YXBw`, p),
  'kubeconfig-client-key-data': (r) =>
    one(
      `    client-key-data: ${(p = b64(`-----BEGIN EC PRIVATE KEY-----\n${keyBody(r, 90)}\n-----END EC PRIVATE KEY-----\n`))}`,
      p,
    ),
  'kubeconfig-token': (r) => one(`    token: ${(p = pick(r, 'x', 48))}`, p),
  'docker-config-auth': (r) => one(`{"auths":{"ghcr.io":{"auth":"${(p = b64(`deploy:${password(r)}`))}"}}}`, p),
  'npmrc-auth-token': (r) =>
    one(`//registry.npmjs.org/:_authToken=${(p = pick(r, 'h', 8))}-${pick(r, 'h', 4)}-${pick(r, 'h', 12)}`, p),
  'java-system-property': (r) => one(`-Dspring.datasource.password=${(p = password(r))} -Dserver.port=8080`, p),
  'helm-set': (r) => one(`helm upgrade app ./chart --set db.password=${(p = password(r))} --set replicas=3`, p),
  'docker-build-arg': (r) => one(`docker build --build-arg NPM_TOKEN=${(p = pick(r, 'x', 36))} .`, p),
  'export-token': (r) => one(`export GITLAB_TOKEN="${(p = pick(r, 'u', 20))}"`, p),
  'properties-dotted': (r) => one(`mail.smtp.auth.password=${(p = password(r))}`, p),
  'camel-case-key': (r) => one(`clientSecret: "${(p = pick(r, 'u', 40))}"`, p),
  'kebab-case-key': (r) => one(`--client-secret=${(p = pick(r, 'u', 40))}`, p),
  'hmac-signing-key': (r) => one(`JWT_SIGNING_KEY=${(p = pick(r, 'b', 44))}`, p),
  'encryption-key': (r) => one(`encryptionKey: ${(p = pick(r, 'h', 64))}`, p),
  'master-key': (r) => one(`RAILS_MASTER_KEY=${(p = pick(r, 'h', 32))}`, p),
  'license-key': (r) => one(`NEW_RELIC_LICENSE_KEY=${(p = pick(r, 'h', 40))}`, p),
  mnemonic: (r) => one(`WALLET_MNEMONIC="${(p = Array.from({ length: 12 }, () => pick(r, 'a', 5)).join(' '))}"`, p),
  'session-cookie-json': (r) => one(`{"cookie":"connect.sid=s%3A${(p = pick(r, 'u', 40))}"}`, p),
  'stack-trace-message': (r) =>
    one(`java.sql.SQLException: Access denied; url=jdbc:mysql://db/shop?user=app&password=${(p = password(r))}`, p),
  'logfmt-quoted-spaces': (r) =>
    one(`msg=starting secret="${(p = `${pick(r, 'x', 6)} ${pick(r, 'x', 6)} ${pick(r, 'x', 6)}`)}" ok=true`, p),
  'tuple-mailgun': (r) => one(`auth = ("api", "key-${(p = pick(r, 'h', 32))}")`, p),
  'age-key-file': (r) =>
    one(
      `# created: 2026-01-01T00:00:00Z\n# public key: age1${pick(r, 'l', 58)}\nAGE-SECRET-KEY-1${(p = pick(r, 'B', 58))}`,
      p,
    ),
  'terraform-var': (r) => one(`TF_VAR_db_password=${(p = password(r))}`, p),
  'github-actions-mask-miss': (r) => one(`Run echo "token=${(p = pick(r, 'x', 40))}"`, p),
  'unicode-quoted-key': (r) => one(`“api_key”: “${(p = pick(r, 'x', 32))}”`, p),
  'termination-config-dump': (r) =>
    one(`Config{host=db, port=5432, user=app, password=${(p = password(r))}, pool=10}`, p),
};

let p = '';
let q = '';
function one(line: string, secret: string): Omit<SecretLine, 'kind'> {
  return { line, secrets: [secret] };
}
function two(line: string, a: string, b: string): Omit<SecretLine, 'kind'> {
  return { line, secrets: [a, b] };
}
/** Lines of a key body long enough to identify it (a short last line could occur anywhere by chance). */
function bodySecrets(body: string, width: number): string[] {
  return lines64(body, width)
    .split('\n')
    .filter((l) => l.length >= 16);
}
function pem(r: Rng, label: string, width: number): Omit<SecretLine, 'kind'> {
  const body = keyBody(r, 700);
  return {
    line: `loaded key:\n-----BEGIN ${label}-----\n${lines64(body, width)}\n-----END ${label}-----\ndone`,
    secrets: bodySecrets(body, width),
  };
}

/** `perKind` lines of every kind: vendor tokens in each of their contexts, and every context kind. */
export function generateSecretLines(seed = 1, perKind = 3): SecretLine[] {
  const rng = seededRandom(seed);
  const out: SecretLine[] = [];
  for (const [kind, token] of Object.entries(VENDOR_TOKENS)) {
    for (let i = 0; i < perKind; i++) {
      const t = token(rng);
      out.push({ kind: `vendor:${kind}`, line: VENDOR_CONTEXTS[i % VENDOR_CONTEXTS.length]!(t, rng), secrets: [t] });
    }
  }
  for (const [kind, make] of Object.entries(CONTEXT_KINDS)) {
    for (let i = 0; i < perKind; i++) out.push({ kind: `context:${kind}`, ...make(rng) });
  }
  return out;
}
