// Zod-free on purpose: the client's sampling form imports this at run time, and zod would add ~30 KB to its bundle.

/**
 * The only environment variables a project's settings may read a key from: an operator opts a variable in by
 * its name, so no other secret of the server process (PODIUM_ADMIN_PASSWORD, cloud credentials) can be named.
 */
export const apiKeyEnvPrefix = 'PODIUM_KEY_';
