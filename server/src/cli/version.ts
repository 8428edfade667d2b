// The version reported by `pgwarden --version` and in SARIF, kept in step with package.json by a test.
export const VERSION = '0.1.0';
