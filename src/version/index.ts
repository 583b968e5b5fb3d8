export { type BuildInfo, buildInfo, formatVersion } from './build-info.js';
