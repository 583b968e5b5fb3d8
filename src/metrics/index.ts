export { createMetrics, type MetricSources, type Metrics } from './create-metrics.js';
export { type Meter, NOOP_METER } from './meter.js';
