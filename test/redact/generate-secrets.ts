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
      ['openshift-token', ['sha256~', ['u', 43]]],
      ['sourcegraph-token', ['sgp_', ['h', 16], '_', ['h', 40]]],
      ['infracost-key', ['ico-', ['x', 32]]],
      ['adobe-client-secret', ['p8e-', ['x', 32]]],
      ['launchdarkly-sdk-key', ['sdk-', ['h', 8], '-', ['h', 4], '-', ['h', 4], '-', ['h', 4], '-', ['h', 12]]],
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

/**
 * Shapes recognised only beside a word that announces them (README: a kubeadm bootstrap token is six and sixteen
 * lowercase characters, which a hostname can be too): their own contexts.
 */
const VENDOR_CONTEXT_OVERRIDES: Record<string, ((t: string, rng: Rng) => string)[]> = {
  'kubeadm-bootstrap-token': [
    (t) => `kubeadm join 10.0.0.10:6443 --token ${t} --discovery-token-ca-cert-hash sha256:abc`,
    (t) => `bootstrap token ${t} expires in 23h`,
    (t) => `{"token":"${t}"}`,
  ],
};

/** Secrets announced by their context: key names, flags, URLs, headers, blocks and encodings. */
export const CONTEXT_KINDS: Record<string, (rng: Rng) => SecretLine | Omit<SecretLine, 'kind'>> = {
  'env-upper-snake': ctx(
    (r) => password(r),
    (p, _r) => `DB_PASSWORD=${p}`,
  ),
  'env-password-with-ampersand': ctx(
    (r) => `${pick(r, 'x', 8)}&${pick(r, 'x', 6)}`,
    (p) => `SMTP_PASSWORD=${p}`,
  ),
  'jdbc-oracle-thin': ctx(password, (p) => `url=jdbc:oracle:thin:scott/${p}@db.example.com:1521/orcl`),
  'ldap-bind-w': ctx(password, (p) => `ldapsearch -x -H ldap://ldap -D "cn=admin,dc=example" -w ${p} -b dc=example`),
  'value-under-secret-key': ctx(password, (p) => `helm upgrade app ./chart --set-string secret.value=${p}`),
  'hex-private-key-spaced-key': ctx(
    (r) => `0x${pick(r, 'h', 64)}`,
    (p) => `Private key: ${p}`,
  ),
  'token-after-word': ctx(
    (r) => pick(r, 'x', 32),
    (p) => `refreshing session with token ${p} now`,
  ),
  'api-key-is': ctx(
    (r) => pick(r, 'x', 40),
    (p) => `your api key is ${p}`,
  ),
  'hex-secret-after-word': ctx(
    (r) => pick(r, 'h', 40),
    (p) => `rotated secret ${p} for tenant 42`,
  ),
  'logfmt-password': ctx(
    (r) => password(r),
    (p, _r) => `level=error msg="login failed" user=bob password=${p} attempt=2`,
  ),
  'yaml-password': ctx(
    (r) => password(r),
    (p, _r) => `  password: ${p}`,
  ),
  'json-password': ctx(
    (r) => password(r),
    (p, _r) => `{"user":"svc","password":"${p}","retries":3}`,
  ),
  'json-escaped-once': ctx(
    (r) => password(r),
    (p, _r) => `{"msg":"config","body":"{\\"client_secret\\":\\"${p}\\"}"}`,
  ),
  'json-escaped-twice': ctx(
    (r) => password(r),
    (p, _r) => `{"log":"{\\"msg\\":\\"{\\\\\\"api_token\\\\\\":\\\\\\"${p}\\\\\\"}\\"}"}`,
  ),
  'json-escaped-thrice': ctx(
    (r) => password(r),
    (p, _r) => `args: ["--config={\\\\\\"auth\\\\\\":{\\\\\\"token\\\\\\":\\\\\\"${p}\\\\\\"}}"]`,
  ),
  'single-quoted': ctx(
    (r) => pick(r, 'h', 64),
    (p, _r) => `SECRET_KEY_BASE='${p}'`,
  ),
  'go-assignment': ctx(
    (r) => password(r),
    (p, _r) => `dbPassword := "${p}"`,
  ),
  'ruby-hash-rocket': ctx(
    (r) => password(r),
    (p, _r) => `:password => "${p}",`,
  ),
  'ini-spaces': ctx(
    (r) => pick(r, 'b', 40),
    (p, _r) => `aws_secret_access_key = ${p}`,
  ),
  'spaced-unseal-key': ctx(
    (r) => pick(r, 'b', 44),
    (p, r) => `Unseal Key ${1 + Math.floor(r() * 5)}: ${p}`,
  ),
  'spaced-root-token': ctx(
    (r) => pick(r, 'x', 24),
    (p, _r) => `Initial Root Token: hvs.${p}`,
  ),
  'spaced-api-key': ctx(
    (r) => pick(r, 'h', 32),
    (p, _r) => `Your API Key: ${p}`,
  ),
  'datadog-app-key': ctx(
    (r) => pick(r, 'h', 40),
    (p, _r) => `DD_APP_KEY=${p}`,
  ),
  'datadog-api-key': ctx(
    (r) => pick(r, 'h', 32),
    (p, _r) => `DD_API_KEY=${p}`,
  ),
  'query-appid': ctx(
    (r) => pick(r, 'h', 32),
    (p, _r) => `GET /data/2.5/weather?q=Berlin&appid=${p}&units=metric`,
  ),
  'ansi-between-key-and-value': ctx(
    (r) => password(r),
    (p, _r) => `\x1b[33mDB_PASSWORD\x1b[0m\x1b[2m=\x1b[0m${p} \x1b[32mok\x1b[0m`,
  ),
  'ansi-before-equals': ctx(
    (r) => pick(r, 'x', 32),
    (p, _r) => `\x1b[1mapi_key\x1b[22m = "${p}"`,
  ),
  'cyrillic-key-typographic-quotes': ctx(
    (r) => password(r),
    (p, _r) => `пароль/password: “${p}”`,
  ),
  'chinese-key-fullwidth-colon': ctx(
    (r) => password(r),
    (p, _r) => `数据库密码：${p}`,
  ),
  'german-key': ctx(
    (r) => password(r),
    (p, _r) => `Passwort=${p}`,
  ),
  'fullwidth-equals': ctx(
    (r) => password(r),
    (p, _r) => `db.password＝${p}`,
  ),
  guillemets: ctx(
    (r) => password(r),
    (p, _r) => `mot de passe / password : «${p}»`,
  ),
  'nested-value-object': ctx(
    (r) => password(r),
    (p, _r) => `"spring.datasource.password": {"value": "${p}", "origin": "env"}`,
  ),
  'name-value-pair-json': ctx(
    (r) => password(r),
    (p, _r) => `{"name":"DB_PASSWORD","value":"${p}"}`,
  ),
  'name-value-pair-yaml': ctx(
    (r) => password(r),
    (p, _r) => `        - name: STRIPE_SECRET\n          value: ${p}`,
  ),
  'dotnet-add-key-value': ctx(
    (r) => password(r),
    (p, _r) => `<add key="SmtpPassword" value="${p}" />`,
  ),
  'xml-element': ctx(
    (r) => password(r),
    (p, _r) => `<password>${p}</password>`,
  ),
  'php-define': ctx(
    (r) => password(r),
    (p, _r) => `define('DB_PASSWORD', '${p}');`,
  ),
  'python-environ-subscript': ctx(
    (r) => pick(r, 'x', 32),
    (p, _r) => `os.environ["API_TOKEN"] = "${p}"`,
  ),
  'sql-identified-by': ctx(
    (r) => password(r),
    (p, _r) => `CREATE USER app IDENTIFIED BY '${p}';`,
  ),
  'sql-with-password': ctx(
    (r) => password(r),
    (p, _r) => `ALTER ROLE app WITH LOGIN PASSWORD '${p}';`,
  ),
  netrc: ctx(
    (r) => password(r),
    (p, _r) => `machine api.example.com login deploy password ${p}`,
  ),
  'postgres-url': ctx(
    (r) => password(r),
    (p, _r) => `DATABASE_URL=postgres://app:${p}@db.prod:5432/app?sslmode=require`,
  ),
  'mysql-url': ctx(
    (r) => password(r),
    (p, _r) => `mysql://root:${p}@mysql:3306/shop`,
  ),
  'redis-url-no-user': ctx(
    (r) => password(r),
    (p, _r) => `REDIS_URL=redis://:${p}@redis-master:6379/0`,
  ),
  'amqp-url': ctx(
    (r) => password(r),
    (p, _r) => `amqp://rabbit:${p}@rabbitmq:5672/vhost connection refused`,
  ),
  'mongodb-srv-url': ctx(
    (r) => password(r),
    (p, _r) => `connecting to mongodb+srv://admin:${p}@cluster0.ab1cd.mongodb.net/db`,
  ),
  'url-user-token': ctx(
    (r) => pick(r, 'x', 40),
    (p, _r) => `git clone https://${p}@git.example.com/org/repo.git`,
  ),
  'slack-webhook-path': ctx(
    (r) => pick(r, 'x', 24),
    (p, r) => `POST https://hooks.slack.com/services/T${pick(r, 'X', 8)}/B${pick(r, 'X', 8)}/${p}`,
  ),
  'discord-webhook-path': (r) => {
    const id = pick(r, 'd', 18);
    const token = pick(r, 'u', 68);
    return { line: `https://discord.com/api/webhooks/${id}/${token}`, secrets: [id, token] };
  },
  'teams-webhook-path': ctx(
    (r) => pick(r, 'h', 32),
    (p, r) =>
      `https://acme.webhook.office.com/webhookb2/${pick(r, 'h', 8)}-aaaa-bbbb-cccc-${pick(r, 'h', 12)}@${pick(r, 'h', 8)}/IncomingWebhook/${p}/${pick(r, 'h', 8)}`,
  ),
  'generic-hooks-path': ctx(
    (r) => pick(r, 'l', 7),
    (p, r) => `https://hooks.zapier.com/hooks/catch/${pick(r, 'd', 7)}/${p}9/`,
  ),
  'telegram-bot-path': ctx(
    (r) => pick(r, 'u', 35),
    (p, r) => `POST https://api.telegram.org/bot${pick(r, 'd', 10)}:${p}/sendMessage 200`,
  ),
  'query-access-token': ctx(
    (r) => pick(r, 'x', 40),
    (p, _r) => `GET /api/v1/me?access_token=${p}&fields=id`,
  ),
  'query-api-key': ctx(
    (r) => pick(r, 'x', 32),
    (p, _r) => `https://api.example.com/v2/items?page=3&api_key=${p}`,
  ),
  'query-amz-signature': ctx(
    (r) => pick(r, 'h', 64),
    (p, _r) => `GET /bucket/obj?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=${p}`,
  ),
  'query-azure-sas': ctx(
    (r) => pick(r, 'b', 43),
    (p, _r) => `PUT https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sp=rw&sig=${p}%3D`,
  ),
  'docker-login-short-p': ctx(
    (r) => password(r),
    (p, _r) => `+ docker login -u ci -p ${p} registry.example.com`,
  ),
  'mysql-attached-p': ctx(
    (r) => password(r),
    (p, _r) => `mysql -h db -uroot -p${p} shop < dump.sql`,
  ),
  'sshpass-p': ctx(
    (r) => password(r),
    (p, _r) => `sshpass -p '${p}' ssh deploy@10.0.0.4`,
  ),
  'redis-cli-a': ctx(
    (r) => password(r),
    (p, _r) => `redis-cli -h redis -a ${p} PING`,
  ),
  'sqlcmd-capital-p': ctx(
    (r) => password(r),
    (p, _r) => `sqlcmd -S db -U sa -P ${p} -Q "SELECT 1"`,
  ),
  'curl-user-colon': ctx(
    (r) => password(r),
    (p, _r) => `curl -u admin:${p} https://jenkins/api/json`,
  ),
  'long-flag-space': ctx(
    (r) => password(r),
    (p, _r) => `exec: mysqldump --user root --password ${p} shop`,
  ),
  'single-dash-long-flag': ctx(
    (r) => password(r),
    (p, _r) => `java -jar app.jar -keystorePassword ${p}`,
  ),
  'long-flag-equals': ctx(
    (r) => pick(r, 'x', 24),
    (p, _r) => `vault login --token=hvs.${p}`,
  ),
  'auth-bearer': ctx(
    (r) => pick(r, 'u', 40),
    (p, _r) => `> Authorization: Bearer ${p}`,
  ),
  'auth-basic': ctx(
    (r) => b64(`admin:${password(r)}`),
    (p, _r) => `headers={"Authorization": "Basic ${p}"}`,
  ),
  'auth-ssws': ctx(
    (r) => pick(r, 'u', 40),
    (p, _r) => `-H "Authorization: SSWS 00${p}"`,
  ),
  'auth-token-scheme': ctx(
    (r) => pick(r, 'h', 40),
    (p, _r) => `authorization: token ${p}`,
  ),
  'auth-geniekey': ctx(
    (r) => `${pick(r, 'h', 8)}-${pick(r, 'h', 4)}-${pick(r, 'h', 12)}`,
    (p, _r) => `Authorization: GenieKey ${p}`,
  ),
  'auth-custom-scheme': ctx(
    (r) => pick(r, 'h', 34),
    (p, _r) => `Authorization: Klaviyo-API-Key pk_${p}`,
  ),
  'proxy-authorization': ctx(
    (r) => b64(`u:${password(r)}`),
    (p, _r) => `Proxy-Authorization: Basic ${p}`,
  ),
  'x-api-key-header': ctx(
    (r) => pick(r, 'h', 32),
    (p, _r) => `x-api-key: ${p}`,
  ),
  'private-token-header': ctx(
    (r) => pick(r, 'x', 26),
    (p, _r) => `PRIVATE-TOKEN: ${p}`,
  ),
  'vault-token-header': ctx(
    (r) => pick(r, 'x', 28),
    (p, _r) => `X-Vault-Token: ${p}`,
  ),
  'cookie-header': ctx(
    (r) => pick(r, 'l', 32),
    (p, _r) => `Cookie: sessionid=${p}; theme=dark`,
  ),
  'set-cookie-header': ctx(
    (r) => pick(r, 'H', 32),
    (p, _r) => `Set-Cookie: JSESSIONID=${p}; Path=/; HttpOnly`,
  ),
  'ado-connection-string': ctx(
    (r) => password(r),
    (p, _r) => `Server=tcp:sql.db.windows.net,1433;Database=shop;User ID=sa;Password=${p};Encrypt=True`,
  ),
  'odbc-connection-string': ctx(
    (r) => password(r),
    (p, _r) => `DRIVER={ODBC};SERVER=db;UID=app;PWD=${p};`,
  ),
  'azure-storage-connection-string': ctx(
    (r) => pick(r, 'b', 86),
    (p, _r) => `DefaultEndpointsProtocol=https;AccountName=logs;AccountKey=${p}==;EndpointSuffix=core.windows.net`,
  ),
  'servicebus-connection-string': ctx(
    (r) => pick(r, 'b', 43),
    (p, _r) => `Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=${p}=`,
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
    const secret = b64(pemText);
    return { line: `  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUI=\n  tls.key: ${secret}`, secrets: [secret] };
  },
  'base64-dockerconfigjson': (r) => {
    const auth = b64(`ci:${password(r)}`);
    const secret = b64(`{"auths":{"ghcr.io":{"auth":"${auth}"}}}`);
    return { line: `{"data":{".dockerconfigjson":"${secret}"}}`, secrets: [secret] };
  },
  'base64-env-file': ctx(
    (r) => b64(`PORT=8080\nDB_PASSWORD=${password(r)}\nDEBUG=false\n`),
    (p, _r) => `decoded config blob ${p}`,
  ),
  'kubernetes-secret-data': ctx(
    (r) => b64(password(r)),
    (p, _r) => `data:\n  DB_PASSWORD: ${p}\n  DB_USER: YXBw`,
  ),
  'kubeconfig-client-key-data': ctx(
    (r) => b64(`-----BEGIN EC PRIVATE KEY-----\n${keyBody(r, 90)}\n-----END EC PRIVATE KEY-----\n`),
    (p, _r) => `    client-key-data: ${p}`,
  ),
  'kubeconfig-token': ctx(
    (r) => pick(r, 'x', 48),
    (p, _r) => `    token: ${p}`,
  ),
  'docker-config-auth': ctx(
    (r) => b64(`deploy:${password(r)}`),
    (p, _r) => `{"auths":{"ghcr.io":{"auth":"${p}"}}}`,
  ),
  'npmrc-auth-token': ctx(
    (r) => pick(r, 'h', 8),
    (p, r) => `//registry.npmjs.org/:_authToken=${p}-${pick(r, 'h', 4)}-${pick(r, 'h', 12)}`,
  ),
  'java-system-property': ctx(
    (r) => password(r),
    (p, _r) => `-Dspring.datasource.password=${p} -Dserver.port=8080`,
  ),
  'helm-set': ctx(
    (r) => password(r),
    (p, _r) => `helm upgrade app ./chart --set db.password=${p} --set replicas=3`,
  ),
  'docker-build-arg': ctx(
    (r) => pick(r, 'x', 36),
    (p, _r) => `docker build --build-arg NPM_TOKEN=${p} .`,
  ),
  'export-token': ctx(
    (r) => pick(r, 'u', 20),
    (p, _r) => `export GITLAB_TOKEN="${p}"`,
  ),
  'properties-dotted': ctx(
    (r) => password(r),
    (p, _r) => `mail.smtp.auth.password=${p}`,
  ),
  'camel-case-key': ctx(
    (r) => pick(r, 'u', 40),
    (p, _r) => `clientSecret: "${p}"`,
  ),
  'kebab-case-key': ctx(
    (r) => pick(r, 'u', 40),
    (p, _r) => `--client-secret=${p}`,
  ),
  'hmac-signing-key': ctx(
    (r) => pick(r, 'b', 44),
    (p, _r) => `JWT_SIGNING_KEY=${p}`,
  ),
  'encryption-key': ctx(
    (r) => pick(r, 'h', 64),
    (p, _r) => `encryptionKey: ${p}`,
  ),
  'master-key': ctx(
    (r) => pick(r, 'h', 32),
    (p, _r) => `RAILS_MASTER_KEY=${p}`,
  ),
  'license-key': ctx(
    (r) => pick(r, 'h', 40),
    (p, _r) => `NEW_RELIC_LICENSE_KEY=${p}`,
  ),
  mnemonic: ctx(
    (r) => Array.from({ length: 12 }, () => pick(r, 'a', 5)).join(' '),
    (p, _r) => `WALLET_MNEMONIC="${p}"`,
  ),
  'session-cookie-json': ctx(
    (r) => pick(r, 'u', 40),
    (p, _r) => `{"cookie":"connect.sid=s%3A${p}"}`,
  ),
  'stack-trace-message': ctx(
    (r) => password(r),
    (p, _r) => `java.sql.SQLException: Access denied; url=jdbc:mysql://db/shop?user=app&password=${p}`,
  ),
  'logfmt-quoted-spaces': ctx(
    (r) => `${pick(r, 'x', 6)} ${pick(r, 'x', 6)} ${pick(r, 'x', 6)}`,
    (p, _r) => `msg=starting secret="${p}" ok=true`,
  ),
  'tuple-mailgun': ctx(
    (r) => pick(r, 'h', 32),
    (p, _r) => `auth = ("api", "key-${p}")`,
  ),
  'age-key-file': ctx(
    (r) => pick(r, 'B', 58),
    (p, r) => `# created: 2026-01-01T00:00:00Z\n# public key: age1${pick(r, 'l', 58)}\nAGE-SECRET-KEY-1${p}`,
  ),
  'terraform-var': ctx(
    (r) => password(r),
    (p, _r) => `TF_VAR_db_password=${p}`,
  ),
  'github-actions-mask-miss': ctx(
    (r) => pick(r, 'x', 40),
    (p, _r) => `Run echo "token=${p}"`,
  ),
  'unicode-quoted-key': ctx(
    (r) => pick(r, 'x', 32),
    (p, _r) => `“api_key”: “${p}”`,
  ),
  'termination-config-dump': ctx(
    (r) => password(r),
    (p, _r) => `Config{host=db, port=5432, user=app, password=${p}, pool=10}`,
  ),
};

/** A kind whose one secret is made first, then placed in its line. */
function ctx(
  make: (r: Rng) => string,
  render: (secret: string, r: Rng) => string,
): (r: Rng) => Omit<SecretLine, 'kind'> {
  return (r) => {
    const secret = make(r);
    return { line: render(secret, r), secrets: [secret] };
  };
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
      const context = VENDOR_CONTEXT_OVERRIDES[kind]?.[i % 3] ?? VENDOR_CONTEXTS[i % VENDOR_CONTEXTS.length]!;
      out.push({ kind: `vendor:${kind}`, line: context(t, rng), secrets: [t] });
    }
  }
  for (const [kind, make] of Object.entries(CONTEXT_KINDS)) {
    for (let i = 0; i < perKind; i++) out.push({ kind: `context:${kind}`, ...make(rng) });
  }
  return out;
}
