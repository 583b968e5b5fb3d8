/**
 * How strongly a key name announces a secret value: `strong` (password, client_secret, DD_APP_KEY: any value that
 * is not a placeholder is the secret), `weak` (auth, key, pin, appid, tokens: only a value shaped like a secret), or
 * `undefined` (a pointer to a secret, a measure of one, or no secret at all: secretName, password_min_length,
 * max_tokens).
 */
export type KeyStrength = 'strong' | 'weak' | undefined;

/**
 * Words that alone make a key hold a secret, matched at the end of a word so that compounds written without
 * separators count (`dbpassword`, `authtoken`, `apikey`) and `tokenizer`, `design` or `secretary` do not. Includes the word for password in languages whose logs we see.
 */
const STRONG_STEM = new RegExp(
  '(?:' +
    [
      'password',
      'passwd',
      'passwort',
      'passphrase',
      'passcode',
      'pwd',
      'secret',
      'token',
      'credentials?',
      'creds',
      'apikey',
      'accesskey',
      'privatekey',
      'secretkey',
      'authkey',
      'appkey',
      'masterkey',
      'signingkey',
      'encryptionkey',
      'sessionkey',
      'licensekey',
      'unsealkey',
      'mnemonic',
      'seedphrase',
      'cookie',
      'sessionid',
      'jsessionid',
      'phpsessid',
      'bearer',
      'signature',
      'sig',
      'dsn',
      'пароль',
      'парол',
      'contraseña',
      'contrasena',
      'senha',
      'wachtwoord',
      'hasło',
      'haslo',
      'heslo',
      'jelszó',
      'jelszo',
      'kennwort',
      'salasana',
      'lösenord',
      'losenord',
      'adgangskode',
      'passord',
      'parola',
      'şifre',
      'sifre',
      '密码',
      '密碼',
      '口令',
      'パスワード',
      '비밀번호',
      'סיסמה',
    ].join('|') +
    String.raw`)\d*$`,
  'u',
);

/** Words that hold a secret only when the value looks like one (`auth=ldap` is a mode, `auth: ZGVw…` a credential). */
const WEAK_WORDS = new Set([
  'auth',
  'key',
  'keys',
  'pass',
  'pin',
  'pat',
  'otp',
  'appid',
  'tokens',
  'secrets',
  'passwords',
  'pwds',
  'hmac',
  'salt',
  'seed',
  'nonce',
  'cert',
  'license',
  'licence',
  'dsn',
  'sid',
]);

/** A word before `key` that makes it a secret key rather than a map key (`API Key`, `DD_APP_KEY`, `Unseal Key 1`). */
const KEY_MODIFIERS = new Set([
  'api',
  'access',
  'secret',
  'private',
  'app',
  'application',
  'master',
  'unseal',
  'recovery',
  'root',
  'license',
  'licence',
  'encryption',
  'encrypt',
  'decryption',
  'signing',
  'sign',
  'client',
  'account',
  'shared',
  'session',
  'auth',
  'admin',
  'service',
  'subscription',
  'consumer',
  'write',
  'read',
  'ingest',
  'ingestion',
  'deploy',
  'sdk',
  'server',
  'instrumentation',
  'integration',
  'routing',
  'webhook',
  'storage',
  'primary',
  'secondary',
  'hmac',
  'jwt',
  'aes',
  'crypto',
  'cipher',
  'personal',
  'bot',
  'project',
  'rest',
  'management',
  'partner',
  'developer',
  'mac',
  'data',
  'rpc',
  'master',
  'admin',
  'org',
  'team',
  'user',
  'bearer',
  'live',
  'test',
  'prod',
  'publishable',
  'restricted',
  'search',
  'query',
  'upload',
  'push',
  'dev',
  'sas',
  'wallet',
]);

/**
 * Words that, after the last sensitive word, make the key a pointer, a measure or a property of the secret rather
 * than the secret: Kubernetes writes `secretName`, `secretKeyRef`, `tokenFile`; OAuth answers carry `token_type`;
 * policies say `password_min_length`.
 */
const INNOCENT_AFTER = new Set(
  (
    'name names ref refs reference file files path paths dir directory url uri urls endpoint count counts len length ' +
    'size limit limits ttl timeout expiry expires expiration exp expire expired expiresin type types policy policies ' +
    'mode enabled enable disabled required require version provider providers source sources manager store volume ' +
    'volumes mount min max minimum maximum id ids hash header headers field fields env var variable prefix suffix ' +
    'format algorithm alg rotation interval age retries attempts lifetime duration seconds secs ms sec minutes reset ' +
    'changed updated created set present valid validity check checks strength complexity hint label labels location ' +
    'kind schema regex pattern template filename loaded rotated resource resources namespace selector index idx ' +
    'offset status state error errors failed failure missing issuer audience aud scope scopes usage used generation ' +
    'param params parameter key_id keyid fingerprint length_min history chars characters digits uppercase lowercase ' +
    'special symbols count_min rules rule provided verified verify validation endpoint host hosts port server ' +
    'usernames username user login owner class handler helper service services storage cache cached ' +
    'refresh_interval budget rate quota usage limit_per estimate estimated total remaining per spent'
  ).split(' '),
);

/** Words after a sensitive word that name its value, not a property of it: `password.value`, `secret_b64`. */
const NEUTRAL_AFTER = new Set([
  'value',
  'val',
  'data',
  'string',
  'str',
  'text',
  'plain',
  'plaintext',
  'raw',
  'b64',
  'base64',
  'encoded',
  'enc',
  'current',
  'new',
  'old',
  'env',
]);

/** Words before a sensitive word that make the key a measure (`max_tokens`, `min_password_length`, `num_secrets`). */
const MEASURE_BEFORE = new Set(['min', 'max', 'num', 'number', 'count', 'total', 'n', 'no', 'nb', 'input', 'output']);

/** Splits a key into lowercase words: `DD_APP_KEY`, `ddAppKey`, `dd-app.key` and `Unseal Key 1` all become words. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([\p{Ll}\d])(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

function wordStrength(words: string[], i: number): KeyStrength {
  const w = words[i]!;
  if (w === 'key' || w === 'keys') {
    const before = words[i - 1];
    if (before !== undefined && KEY_MODIFIERS.has(before)) return w === 'key' ? 'strong' : 'weak';
    return 'weak';
  }
  if (STRONG_STEM.test(w)) {
    // Plurals are collections or counts more often than one secret (`secrets: [a, b]`, `tokens=512`).
    if (/^(?:tokens|secrets|passwords|pwds|cookies|signatures)$/.test(w)) return 'weak';
    // `passwd` in `etcpasswd` is a file; `pwd` / `oldpwd` are working directories.
    if (/^(?:old)?pwd$/.test(w) && words.length === 1) return undefined;
    return 'strong';
  }
  return WEAK_WORDS.has(w) ? 'weak' : undefined;
}

/**
 * Whether a key name (`DB_PASSWORD`, `client_secret`, `Unseal Key 1`, `пароль/password`) announces a secret, and
 * how strongly. The last sensitive word decides; words after it that name a property of the secret, or a measure
 * word before it, make the key innocent.
 */
export function keyStrength(key: string): KeyStrength {
  const cached = CACHE.get(key);
  if (cached !== undefined) return cached === 'none' ? undefined : cached;
  const strength = judgeKey(key);
  // Logs repeat their keys; a bounded memo of a pure function keeps the per-line cost to a map lookup.
  if (CACHE.size >= 4096) CACHE.clear();
  CACHE.set(key, strength ?? 'none');
  return strength;
}

const CACHE = new Map<string, KeyStrength | 'none'>();

function judgeKey(key: string): KeyStrength {
  const raw = key.trim();
  // The shell's working directories, present in every environment dump.
  if (/^(?:OLD)?PWD$/.test(raw)) return undefined;
  const words = keyWords(raw);
  if (words.length === 0 || words.length > 8) return undefined;
  for (let i = words.length - 1; i >= 0; i--) {
    const strength = wordStrength(words, i);
    if (strength === undefined) continue;
    const after = words.slice(i + 1).filter((w) => !/^\d+$/.test(w) && !NEUTRAL_AFTER.has(w));
    if (after.some((w) => INNOCENT_AFTER.has(w))) return undefined;
    // `tokens_used`, `token_count`: a number about tokens. Other words after the sensitive one weaken it.
    const before = words[i - 1];
    if (before !== undefined && MEASURE_BEFORE.has(before)) return undefined;
    if (after.length > 0) return 'weak';
    return strength;
  }
  return undefined;
}

/** Whether a key name announces a secret at all. */
export function isSensitiveKey(key: string): boolean {
  return keyStrength(key) !== undefined;
}
