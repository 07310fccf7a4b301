// The Huami client's public surface (docs/architecture.md "Huami client").
export { HuamiClient, statusOf, type HuamiClientOptions, type TokenStatus } from './client.js';
export { HuamiError, type HuamiErrorCode } from './errors.js';
export type { BandDataItem } from './schemas.js';
export { TokenStore, type TokenSet } from '../store/tokens.js';
export { accountKey } from '../store/identity.js';
export { HOSTS } from '../auth/hosts.js';
export { clientOptions, createHuamiClient } from './from-config.js';
