import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterStatFamilies, envoyPrometheusPage } from './envoy-prometheus-page.ts';

const httpbin = 'outbound|8000||httpbin.default.svc.cluster.local';

test('cluster stats take their Prometheus names with the cluster as cluster_name; circuit breakers are gauges', () => {
  const families = clusterStatFamilies([
    `cluster.${httpbin};.circuit_breakers.default.remaining_pending: 1`,
    `cluster.${httpbin};.upstream_rq_pending_overflow: 7`,
    `cluster.${httpbin};.upstream_rq_pending_active: 0`,
    `cluster.${httpbin};.outlier_detection.ejections_enforced_total: 2`,
    'not a stat line',
  ]);
  assert.deepEqual(families, [
    { name: 'envoy_cluster_circuit_breakers_default_remaining_pending', type: 'gauge', lines: [`envoy_cluster_circuit_breakers_default_remaining_pending{cluster_name="${httpbin}"} 1`] },
    { name: 'envoy_cluster_upstream_rq_pending_overflow', type: 'counter', lines: [`envoy_cluster_upstream_rq_pending_overflow{cluster_name="${httpbin}"} 7`] },
    { name: 'envoy_cluster_upstream_rq_pending_active', type: 'gauge', lines: [`envoy_cluster_upstream_rq_pending_active{cluster_name="${httpbin}"} 0`] },
    { name: 'envoy_cluster_outlier_detection_ejections_enforced_total', type: 'counter', lines: [`envoy_cluster_outlier_detection_ejections_enforced_total{cluster_name="${httpbin}"} 2`] },
  ]);
});

test('one series per cluster under one TYPE line', () => {
  const families = clusterStatFamilies([`cluster.${httpbin};.upstream_rq_total: 3`, 'cluster.outbound|9080||ratings.default.svc.cluster.local;.upstream_rq_total: 5']);
  assert.equal(
    envoyPrometheusPage(families),
    '# TYPE envoy_cluster_upstream_rq_total counter\n' +
      `envoy_cluster_upstream_rq_total{cluster_name="${httpbin}"} 3\n` +
      'envoy_cluster_upstream_rq_total{cluster_name="outbound|9080||ratings.default.svc.cluster.local"} 5\n',
  );
});

test('counters come first, then gauges, then histograms, each group in name order', () => {
  const page = envoyPrometheusPage([
    { name: 'istio_request_duration_milliseconds', type: 'histogram', lines: ['istio_request_duration_milliseconds_count{} 1'] },
    { name: 'istio_requests_total', type: 'counter', lines: ['istio_requests_total{} 1'] },
    { name: 'envoy_cluster_circuit_breakers_default_rq_open', type: 'gauge', lines: ['envoy_cluster_circuit_breakers_default_rq_open{} 0'] },
    { name: 'envoy_cluster_upstream_rq_total', type: 'counter', lines: ['envoy_cluster_upstream_rq_total{} 1'] },
  ]);
  assert.deepEqual(
    page.split('\n').filter((line) => line.startsWith('# TYPE')),
    [
      '# TYPE envoy_cluster_upstream_rq_total counter',
      '# TYPE istio_requests_total counter',
      '# TYPE envoy_cluster_circuit_breakers_default_rq_open gauge',
      '# TYPE istio_request_duration_milliseconds histogram',
    ],
  );
  assert.equal(envoyPrometheusPage([]), '');
});
