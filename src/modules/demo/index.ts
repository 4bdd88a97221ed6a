// The demo organisation: generated, then loaded through the services.
export { type DemoOptions, loadDemo } from './load.js';
