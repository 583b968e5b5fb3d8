/**
 * Realistic secrets as they show up in container logs, environment dumps and config files, each with the exact
 * substring that must not survive redaction. All values are fabricated but shaped like the real thing.
 */
export interface SecretSample {
  name: string;
  line: string;
  secret: string;
  /** What must still be readable after redaction (key names, users, hosts). */
  keeps?: string[];
}

const pemBody =
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n' +
  'MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\n' +
  'NMoSfm76oqFvAp8Gy0iz5sxjZmSnXyCdPEovGhLa0VzMaQ8s+CLOyS56YyCFGeJZ';

export const SECRET_SAMPLES: SecretSample[] = [
  {
    name: 'AWS access key id in env',
    line: 'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE',
    secret: 'AKIAIOSFODNN7EXAMPLE',
    keeps: ['AWS_ACCESS_KEY_ID='],
  },
  {
    name: 'AWS temporary key id in prose',
    line: 'using credentials ASIAY34FZKBOKMUTVV7A for role',
    secret: 'ASIAY34FZKBOKMUTVV7A',
  },
  {
    name: 'AWS secret key (ini)',
    line: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    keeps: ['aws_secret_access_key'],
  },
  {
    name: 'AWS secret key (env)',
    line: 'AWS_SECRET_ACCESS_KEY=je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
    secret: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  },
  {
    name: 'AWS session token',
    line: 'AWS_SESSION_TOKEN=FwoGZXIvYXdzEBYaDHhBTEXAMPLETOKENvalue123',
    secret: 'FwoGZXIvYXdzEBYaDHhBTEXAMPLETOKENvalue123',
  },
  {
    name: 'GCP API key',
    line: 'GET https://maps.googleapis.com/maps/api/geocode/json?address=x&key=AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY',
    secret: 'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY',
  },
  {
    name: 'GCP service-account JSON private key (escaped newlines)',
    line: `{"type": "service_account", "private_key_id": "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", "private_key": "-----BEGIN PRIVATE KEY-----\\n${pemBody.replace(/\n/g, '\\n')}\\n-----END PRIVATE KEY-----\\n", "client_email": "bot@proj.iam.gserviceaccount.com"}`,
    secret: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj',
    keeps: ['client_email', 'bot@proj.iam.gserviceaccount.com'],
  },
  {
    name: 'GCP OAuth access token',
    line: '"access_token": "ya29.a0AfH6SMBx3Jk2lPq9-ZrTy7w_EXAMPLEtoken"',
    secret: 'ya29.a0AfH6SMBx3Jk2lPq9-ZrTy7w_EXAMPLEtoken',
  },
  {
    name: 'Azure storage connection string',
    line: 'DefaultEndpointsProtocol=https;AccountName=prodlogs;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;EndpointSuffix=core.windows.net',
    secret: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
    keeps: ['AccountName=prodlogs'],
  },
  {
    name: 'Azure SAS signature in a URL',
    line: 'PUT https://prodlogs.blob.core.windows.net/c/b.txt?sv=2022-11-02&ss=b&srt=o&sp=rw&se=2026-01-01T00:00:00Z&sig=9eK%2BtYz3m5qLrUo0pXwQh2F1vJcN8sD4aB6gE7iH0kM%3D',
    secret: '9eK%2BtYz3m5qLrUo0pXwQh2F1vJcN8sD4aB6gE7iH0kM%3D',
    keeps: ['sv=2022-11-02', 'sig='],
  },
  {
    name: 'Azure Service Bus connection string',
    line: 'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=q8Zr4lB2xVwT0aYcN5mK7pJ3hD1fG9sE6uI0oL2kQ4w=',
    secret: 'q8Zr4lB2xVwT0aYcN5mK7pJ3hD1fG9sE6uI0oL2kQ4w=',
    keeps: ['SharedAccessKeyName=RootManageSharedAccessKey'],
  },
  {
    name: 'Slack bot token',
    line: 'slack: auth with xoxb-2048-4096-Abcdefghijklmnopqrstuvwx failed',
    secret: 'xoxb-2048-4096-Abcdefghijklmnopqrstuvwx',
  },
  {
    name: 'Slack user token',
    line: 'SLACK_USER=xoxp-1111-2222-3333-0123456789abcdef0123456789abcdef',
    secret: 'xoxp-1111-2222-3333-0123456789abcdef0123456789abcdef',
  },
  {
    name: 'Slack app token',
    line: 'connecting with xapp-1-A0123ABCD-1234567890123-abcdef0123456789abcdef',
    secret: 'xapp-1-A0123ABCD-1234567890123-abcdef0123456789abcdef',
  },
  {
    name: 'Slack legacy workspace token',
    line: 'token xoxa-2-1234567890-abcdefABCDEF',
    secret: 'xoxa-2-1234567890-abcdefABCDEF',
  },
  {
    name: 'Slack incoming webhook',
    line: 'POST https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX 200',
    secret: 'T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
    keeps: ['hooks.slack.com/services/'],
  },
  {
    name: 'GitHub classic PAT',
    line: 'git clone https://ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.com/org/repo',
    secret: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
  },
  {
    name: 'GitHub OAuth token',
    line: 'token=gho_16C7e42F292c6912E7710c838347Ae178B4a',
    secret: 'gho_16C7e42F292c6912E7710c838347Ae178B4a',
  },
  {
    name: 'GitHub app user token',
    line: 'ghu_16C7e42F292c6912E7710c838347Ae178B4a expired',
    secret: 'ghu_16C7e42F292c6912E7710c838347Ae178B4a',
  },
  {
    name: 'GitHub app installation token in URL',
    line: 'remote: https://x-access-token:ghs_16C7e42F292c6912E7710c838347Ae178B4a@github.com/o/r.git',
    secret: 'ghs_16C7e42F292c6912E7710c838347Ae178B4a',
    keeps: ['x-access-token', 'github.com/o/r.git'],
  },
  {
    name: 'GitHub refresh token',
    line: '"refresh":"ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498"',
    secret: 'ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498',
  },
  {
    name: 'GitHub fine-grained PAT',
    line: 'GH=github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUV',
    secret: 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUV',
  },
  { name: 'GitLab PAT', line: 'PRIVATE-TOKEN: glpat-xR9b2Kd8Lm3Np5Qs7Tv1', secret: 'glpat-xR9b2Kd8Lm3Np5Qs7Tv1' },
  {
    name: 'Stripe live key',
    line: 'stripe.api_key set to sk_live_51HcXyZ2eZvKYlo2C9a8b7c6d5e4f3g2h1',
    secret: 'sk_live_51HcXyZ2eZvKYlo2C9a8b7c6d5e4f3g2h1',
  },
  {
    name: 'JWT in prose',
    line: 'invalid session eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c for user',
    secret: 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ',
  },
  {
    name: 'Authorization bearer header',
    line: '> Authorization: Bearer 8f14e45fceea167a5a36dedd4bea2543abcdef',
    secret: '8f14e45fceea167a5a36dedd4bea2543abcdef',
    keeps: ['Authorization: Bearer'],
  },
  {
    name: 'Authorization basic header',
    line: 'headers={"Authorization": "Basic YWRtaW46c3VwZXJzZWNyZXQ="}',
    secret: 'YWRtaW46c3VwZXJzZWNyZXQ=',
  },
  {
    name: 'curl -H authorization',
    line: "curl -H 'authorization: token 0123456789abcdef0123456789abcdef01234567' https://api",
    secret: '0123456789abcdef0123456789abcdef01234567',
  },
  {
    name: 'bearer without header name',
    line: 'retrying with Bearer abc.DEF-ghi_jkl~mno+pqr/stu=',
    secret: 'abc.DEF-ghi_jkl~mno+pqr/stu=',
  },
  {
    name: 'PEM RSA private key block',
    line: `loaded key:\n-----BEGIN RSA PRIVATE KEY-----\n${pemBody}\n-----END RSA PRIVATE KEY-----\ndone`,
    secret: 'MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu',
    keeps: ['done', 'loaded key:'],
  },
  {
    name: 'PEM OpenSSH key cut off by the log tail',
    line: `-----BEGIN OPENSSH PRIVATE KEY-----\n${pemBody}`,
    secret: 'NMoSfm76oqFvAp8Gy0iz5sxjZmSnXyCdPEovGhLa0VzMaQ8s+CLOyS56YyCFGeJZ',
  },
  {
    name: 'password in https URL',
    line: 'fetching https://deploy:Tr0ub4dor&3@registry.internal/v2/',
    secret: 'Tr0ub4dor&3',
    keeps: ['deploy:', '@registry.internal'],
  },
  {
    name: 'postgres URL',
    line: 'DATABASE_URL=postgres://app:pg_s3cret_pw@db.prod:5432/app?sslmode=require',
    secret: 'pg_s3cret_pw',
    keeps: ['postgres://app:', '@db.prod:5432/app'],
  },
  {
    name: 'postgresql URL with @ in password',
    line: 'dial postgresql://svc:p@ss@w0rd!@10.0.0.5/db',
    secret: 'p@ss@w0rd!',
    keeps: ['10.0.0.5/db'],
  },
  { name: 'mysql URL', line: 'mysql://root:MyS3cretRoot@mysql:3306/shop', secret: 'MyS3cretRoot' },
  {
    name: 'mongodb+srv URL',
    line: 'MongoServerError connecting to mongodb+srv://admin:Mong0Pa55@cluster0.ab1cd.mongodb.net/?retryWrites=true',
    secret: 'Mong0Pa55',
  },
  {
    name: 'redis URL without user',
    line: 'REDIS_URL=redis://:r3d1sPassw0rd@redis-master:6379/0',
    secret: 'r3d1sPassw0rd',
  },
  { name: 'amqp URL', line: 'amqp://rabbit:rabb1tPw@rabbitmq:5672/vhost connection refused', secret: 'rabb1tPw' },
  {
    name: 'ADO.NET connection string',
    line: 'Server=tcp:sql.db.windows.net,1433;Database=shop;User ID=sa;Password=S0me Pass!;Encrypt=True',
    secret: 'S0me Pass!',
    keeps: ['User ID=sa', 'Database=shop'],
  },
  {
    name: 'ODBC Pwd',
    line: 'DRIVER={ODBC};SERVER=db;UID=app;PWD=odbcSecret42;',
    secret: 'odbcSecret42',
    keeps: ['UID=app'],
  },
  {
    name: 'password=value in logfmt',
    line: 'level=error msg="login failed" user=bob password=hunter2x',
    secret: 'hunter2x',
    keeps: ['user=bob', 'password='],
  },
  { name: 'password: value in yaml', line: '  password: Sup3rS3cret!', secret: 'Sup3rS3cret!', keeps: ['password:'] },
  {
    name: 'JSON password',
    line: '{"user":"bob","password":"c0rrect-h0rse","remember":true}',
    secret: 'c0rrect-h0rse',
    keeps: ['"user":"bob"', '"remember":true'],
  },
  {
    name: 'JSON inside a JSON log line',
    line: '{"msg":"request","body":"{\\"passwd\\":\\"n3stedPw\\"}"}',
    secret: 'n3stedPw',
  },
  { name: 'db_pwd env', line: 'DB_PWD=pwdValue987', secret: 'pwdValue987' },
  { name: 'client_secret', line: 'oauth client_secret=0a1b2c3d4e5f6a7b8c9d', secret: '0a1b2c3d4e5f6a7b8c9d' },
  { name: 'api_key', line: 'API_KEY: 5f4dcc3b5aa765d61d8327deb882cf99', secret: '5f4dcc3b5aa765d61d8327deb882cf99' },
  {
    name: 'apikey in query string',
    line: 'GET /v1/data?apikey=qwertyuiop123456&page=2',
    secret: 'qwertyuiop123456',
    keeps: ['page=2'],
  },
  {
    name: 'x-api-key header',
    line: 'x-api-key: 9b74c9897bac770ffc029102a200c5de',
    secret: '9b74c9897bac770ffc029102a200c5de',
  },
  {
    name: 'private_key in properties',
    line: 'jwt.private_key=MIICXAIBAAKBgQCqGKukO1De7zhZj6',
    secret: 'MIICXAIBAAKBgQCqGKukO1De7zhZj6',
  },
  { name: 'credentials', line: 'credentials: dXNlcjpwYXNzd29yZA==', secret: 'dXNlcjpwYXNzd29yZA==' },
  {
    name: 'kubernetes secret data (yaml)',
    line: 'data:\n  DB_PASSWORD: cGFzc3dvcmQxMjM=\n  DB_USER: YWRtaW4=',
    secret: 'cGFzc3dvcmQxMjM=',
    keeps: ['DB_USER: YWRtaW4='],
  },
  {
    name: 'single-quoted secret',
    line: "SECRET_KEY_BASE='9f8e7d6c5b4a39281706f5e4d3c2b1a0'",
    secret: '9f8e7d6c5b4a39281706f5e4d3c2b1a0',
  },
  { name: 'Go := assignment', line: 'dbPassword := "g0langSecret"', secret: 'g0langSecret' },
  {
    name: '--password flag',
    line: 'exec: mysqldump --user root --password r00tPw1 shop',
    secret: 'r00tPw1',
    keeps: ['--user root', 'shop'],
  },
  { name: '--token=flag', line: 'vault login --token=s.AbCdEf0123456789', secret: 's.AbCdEf0123456789' },
  { name: 'PGPASSWORD', line: 'PGPASSWORD=pgpassword123 psql -h db', secret: 'pgpassword123', keeps: ['psql -h db'] },
  {
    name: 'kubeconfig client key',
    line: '    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVB',
    secret: 'LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVB',
    keeps: ['client-key-data:'],
  },
  {
    name: 'docker config auth',
    line: '{"auths":{"ghcr.io":{"auth":"ZGVwbG95OnMzY3IzdFB3"}}}',
    secret: 'ZGVwbG95OnMzY3IzdFB3',
    keeps: ['ghcr.io'],
  },
  {
    name: 'key=value swallowed by a PEM block cut off by the log tail',
    line: '-----BEGIN PRIVATE KEY-----\ndbPassword := "g0langSecret"',
    secret: 'g0langSecret',
  },
  {
    name: 'npm token',
    line: '//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789',
    secret: 'npm_abcdefghijklmnopqrstuvwxyz0123456789',
  },
];

/** Lines that look a little like secrets but are not: they must come out exactly as they went in. */
export const INNOCENT_LINES: string[] = [
  'token count: 5',
  'max_tokens=4096 input_tokens: 120',
  'request id 3f2504e0-4f89-11d3-9a0c-0305e82c3301 done',
  'pulled sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  'Image: docker.io/library/nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31',
  'commit 9fceb02d0ae598e95dc970b74767f19372d61af8',
  'secretName: db-credentials',
  'valueFrom:\n  secretKeyRef:\n    name: db\n    key: password',
  'MountVolume.SetUp failed for volume "db-secret" : secret "db-secret" not found',
  "Error: couldn't find key password in Secret prod/db-credentials",
  'open /etc/passwd: no such file or directory',
  'auth=ldap mode=strict',
  'client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t',
  'PWD=/app',
  'OLDPWD=/home/app',
  'tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token',
  '"token_type": "Bearer"',
  'Bearer tokens are validated by the gateway',
  'password: ""',
  'password=[REDACTED]',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal shell-style reference is the point
  'password: ${DB_PASSWORD}',
  'password: null',
  'https://example.com:8443/path?page=2',
  'GET /healthz 200 12ms user-agent=kube-probe/1.30',
  'Back-off restarting failed container app in pod web-1_demo(6c3e0f2a-8a4b-4c3b-9f7e-2d1a0b9c8d7e)',
  'Started container app; exit code 137 (SIGKILL)',
  'std::string token::parse(const char*)',
  'ERROR: password authentication failed for user "app"',
  'panic: runtime error: invalid memory address or nil pointer dereference',
  'node_modules/.bin/jest --passWithNoTests',
  'Liveness probe failed: HTTP probe failed with statuscode: 500',
  '',
];
